import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { emitStream } from '../../src/emit/index.js';

const Emit = suite('emitting generated documents');

Emit('strings that YAML 1.1 would read as something else stay strings', () => {
  const tricky = ['yes', 'No', 'on', 'OFF', 'y', 'true', 'null', '~', '0777', '1e3', '12:30', '2024-01-01', '.inf', '-', '', ' lead', 'a: b', '#c', 'x\ny', '"q"', 'ZGVtbw==', '=', '[a]', '{b}', '*ref', '&anc', '!tag', '%dir', '@at', '`bt`', '1_000'];
  const data = Object.fromEntries(tricky.map((v, i) => [`k${i}`, v]));
  const text = emitStream([{ object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', labels: { yes: 'no' } }, immutable: true, data } }]);
  for (const version of ['1.1', '1.2'] as const) {
    const [doc] = parseAllDocuments(text, { version });
    const value = doc!.toJS() as { data: Record<string, unknown>; metadata: { labels: Record<string, unknown> }; immutable: unknown };
    assert.equal(value.data, data, `YAML ${version}`);
    assert.equal(value.metadata.labels, { yes: 'no' });
    assert.is(value.immutable, true);
  }
});

Emit('other objects fall back to yaml (numbers, nested lists, binary)', () => {
  const text = emitStream([{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' }, spec: { replicas: 3, ports: [{ port: 80 }] } } }]);
  assert.equal(parseAllDocuments(text)[0]!.toJS(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' }, spec: { replicas: 3, ports: [{ port: 80 }] } });
});

Emit.run();
