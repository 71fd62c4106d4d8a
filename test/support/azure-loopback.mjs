// Test-only preload for a plugin subprocess: `node --import ./test/support/azure-loopback.mjs`
// with ESO_TEST_TLS_ROUTES="*.vault.azure.net,login.microsoftonline.com=<port>" sends TLS
// connections for those host names to 127.0.0.1:<port> (the Azure test server), keeping SNI and
// certificate verification on the original name. Same logic as routeToLoopback in azure-server.ts.
import tls from 'node:tls';

const spec = process.env.ESO_TEST_TLS_ROUTES ?? '';
const routes = spec
  .split(';')
  .filter(Boolean)
  .map((entry) => {
    const [hosts, port] = entry.split('=');
    return { hosts: (hosts ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean), port: Number(port) };
  });

function routeFor(host) {
  if (!host) return undefined;
  const h = host.toLowerCase();
  for (const r of routes) {
    if (r.hosts.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p))) return r.port;
  }
  return undefined;
}

if (routes.length > 0) {
  const original = tls.connect;
  tls.connect = (...args) => {
    const o = args[0];
    if (o && typeof o === 'object') {
      const port = routeFor(o.servername || o.host);
      if (port !== undefined) args[0] = { ...o, servername: o.servername || o.host, host: '127.0.0.1', port };
    }
    return original(...args);
  };
}
