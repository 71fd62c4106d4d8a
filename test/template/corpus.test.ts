import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError, executeTemplate } from '../../src/template/index.js';
import { corpus } from './corpus.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as Record<
  string,
  { output?: string; outputB64?: string; error?: string }
>;
const hmacKey = new Uint8Array(32).fill(7);

const names = new Set<string>();
for (const c of corpus) {
  test(`template: ${c.name}`, async () => {
    assert.not.ok(names.has(c.name), `duplicate case name ${c.name}`);
    names.add(c.name);
    const data = new Map<string, Uint8Array>();
    for (const [k, v] of Object.entries(c.data ?? {})) data.set(k, Buffer.from(v, 'utf8'));
    for (const [k, v] of Object.entries(c.dataB64 ?? {})) data.set(k, Buffer.from(v, 'base64'));
    let expectedOut: Buffer | undefined;
    let expectedErr: string | undefined;
    if (c.expected !== undefined) expectedOut = Buffer.from(c.expected, 'utf8');
    else if (c.expectedB64 !== undefined) expectedOut = Buffer.from(c.expectedB64, 'base64');
    else if (c.expectedError !== undefined) expectedErr = c.expectedError;
    else if (c.errorContains === undefined) {
      const v = vectors[c.name];
      assert.ok(v, `no oracle vector for ${c.name}: run tools/template-oracle/regen.ts`);
      if (v.error !== undefined) expectedErr = v.error;
      else expectedOut = Buffer.from(v.output ?? v.outputB64 ?? '', v.output !== undefined ? 'utf8' : 'base64');
    }
    let out: Uint8Array | undefined;
    let err: string | undefined;
    try {
      out = await executeTemplate(c.template, data, {
        name: c.name,
        missingKey: c.missingKey ?? 'error',
        ...(c.delims ? { delims: c.delims } : {}),
        allowNonDeterministic: c.allowNonDeterministic ?? false,
        hmacKey,
      });
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      err = e.message;
    }
    if (c.crossCheck) {
      const v = vectors[c.name];
      assert.ok(v, `no oracle vector for cross-checked ${c.name}: run tools/template-oracle/regen.ts`);
      if (v.error !== undefined) assert.ok(err !== undefined, `Go failed (${v.error}) but we rendered`);
      else assert.is(Buffer.from(out ?? new Uint8Array()).toString('latin1'), Buffer.from(v.output ?? v.outputB64 ?? '', v.output !== undefined ? 'utf8' : 'base64').toString('latin1'), 'differs from the Go re-implementation');
    }
    if (c.errorContains !== undefined) {
      assert.ok(err !== undefined, `expected an error containing ${JSON.stringify(c.errorContains)}, got output ${JSON.stringify(out && Buffer.from(out).toString('utf8'))}`);
      assert.ok(err.includes(c.errorContains), `error ${JSON.stringify(err)} lacks ${JSON.stringify(c.errorContains)}`);
    } else if (expectedErr !== undefined) {
      assert.is(err, expectedErr, `output was ${JSON.stringify(out && Buffer.from(out).toString('utf8'))}`);
    } else {
      assert.is(err, undefined);
      assert.is(Buffer.from(out!).toString('latin1'), expectedOut!.toString('latin1'));
    }
  });
}

test.run();
