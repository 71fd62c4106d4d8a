// Quick measurement (not a test): render 1,000 typical ESO templates in a fresh process.
// Usage: node --import tsx scripts/bench-template.ts
const t0 = performance.now();
const c0 = process.cpuUsage();
const { executeTemplate } = await import('../src/template/index.js');
const t1 = performance.now();

const enc = new TextEncoder();
const data = new Map<string, Uint8Array>([
  ['username', enc.encode('admin')],
  ['password', enc.encode('s3cr3t-p@ss')],
  ['host', enc.encode('db.example.com')],
  ['json', enc.encode('{"a":1,"b":"two"}')],
]);
const templates = [
  '{{ .username }}:{{ .password | b64enc }}',
  '{"auths":{"registry.example.com":{"username":"{{ .username }}","password":"{{ .password }}","auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}',
  '{{ dict "auths" (dict "reg.io" (dict "auth" (printf "%s:%s" .username .password | b64enc))) | toJson }}',
  'postgres://{{ .username }}:{{ .password | urlquery }}@{{ .host }}:5432/app?sslmode=require',
  '{{- if .password }}{{ .password | upper | quote }}{{ else }}none{{ end -}}',
  '{{ (fromJson .json).b }}-{{ .host | sha256sum | trunc 8 }}',
];
const opts = { name: 'key', missingKey: 'error' as const, hmacKey: new Uint8Array(32) };
const n = Number(process.env.N ?? 1000);
const t2 = performance.now();
let bytes = 0;
for (let i = 0; i < n; i++) bytes += (await executeTemplate(templates[i % templates.length]!, data, opts)).length;
const t3 = performance.now();
const c3 = process.cpuUsage(c0);
for (let i = 0; i < n; i++) bytes += (await executeTemplate(templates[i % templates.length]!, data, opts)).length;
const t4 = performance.now();
// Distinct templates (no parse reuse): each gets a unique text prefix.
const t5 = performance.now();
const c5 = process.cpuUsage();
for (let i = 0; i < n; i++) bytes += (await executeTemplate(`${i}:${templates[i % templates.length]!}`, data, opts)).length;
const t6 = performance.now();
const c6 = process.cpuUsage(c5);
console.log(
  `import ${(t1 - t0).toFixed(1)} ms; first ${n} renders ${(t3 - t2).toFixed(1)} ms; next ${n} ${(t4 - t3).toFixed(1)} ms; ${n} distinct texts ${(t6 - t5).toFixed(1)} ms wall / ${((c6.user + c6.system) / 1000).toFixed(1)} ms CPU; since start ${(t3 - t0).toFixed(1)} ms wall / ${((c3.user + c3.system) / 1000).toFixed(1)} ms CPU (${bytes} bytes)`,
);
