/**
 * A fault proxy in front of the loopback AWS test server (test/support/aws-server.ts), for the
 * bench: a fixed latency on every request, a share of requests throttled at random (seeded, so a
 * run is reproducible), optional per-service request-rate limits (token buckets, as AWS applies
 * per account), and counts per action: total and throttled. Throttling answers as AWS does:
 * `ThrottlingException` (JSON 1.1) for Secrets Manager / SSM, `Throttling` (query XML) for STS.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  readonly upstream: string;
  readonly latencyMs?: number;
  /** Share of requests answered with a throttling error, 0..1. */
  readonly throttle?: number;
  readonly seed?: number;
  /** Requests per second per service ('sts', 'secretsmanager', 'ssm'), with a burst of the same size. */
  readonly rateLimits?: Readonly<Record<string, number>>;
}

export interface ActionCount {
  total: number;
  throttled: number;
}

export interface AwsProxy {
  readonly url: string;
  readonly counts: Map<string, ActionCount>;
  set(options: Omit<ProxyOptions, 'upstream'>): void;
  reset(): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startAwsProxy(options: ProxyOptions): Promise<AwsProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let settings: Omit<ProxyOptions, 'upstream'> = options;
  let random = prng(options.seed ?? 1);
  const counts = new Map<string, ActionCount>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  const allow = (service: string): boolean => {
    const rate = settings.rateLimits?.[service];
    if (!rate) return true;
    const now = Date.now();
    const b = buckets.get(service) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    buckets.set(service, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const sts = !target;
      const service = target.startsWith('secretsmanager.') ? 'secretsmanager' : target.startsWith('AmazonSSM.') ? 'ssm' : 'sts';
      const action = sts ? (new URLSearchParams(body.toString('utf8')).get('Action') ?? 'unknown') : target.slice(target.indexOf('.') + 1);
      const count = counts.get(action) ?? { total: 0, throttled: 0 };
      counts.set(action, count);
      count.total++;
      const throttled = (settings.throttle ?? 0) > 0 && random() < (settings.throttle ?? 0) ? true : !allow(service);
      if (settings.latencyMs) await new Promise((r) => setTimeout(r, settings.latencyMs));
      if (throttled) {
        count.throttled++;
        if (sts) {
          res.writeHead(400, { 'content-type': 'text/xml' });
          res.end('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttled</RequestId></ErrorResponse>');
        } else {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'throttled' });
          res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        }
        return;
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    set(next) {
      settings = next;
      random = prng(next.seed ?? 1);
      buckets.clear();
    },
    reset() {
      counts.clear();
      buckets.clear();
      random = prng(settings.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `{ "BatchGetSecretValue": 10, "BatchGetSecretValue throttled": 3, ... }` */
export function flatCounts(counts: Map<string, ActionCount>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [action, c] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[action] = c.total;
    if (c.throttled) out[`${action} throttled`] = c.throttled;
  }
  return out;
}
