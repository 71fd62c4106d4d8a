// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Go regexp templates use ${1}
// Direct tests of the shared Go-compat primitives in src/go (the template corpus covers them
// through Sprig too; rewrite/find code will call them directly).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { base64Decode, urlAlphabet } from '../../src/go/base64.js';
import { sprintf } from '../../src/go/fmt.js';
import { marshal } from '../../src/go/json.js';
import { RegexpError, compile, expand, findAll, replaceAll, split } from '../../src/go/regexp.js';
import { type GoValue, typedMap } from '../../src/go/value.js';

test('regexp: RE2 constructs JS would treat differently are rewritten', () => {
  assert.ok(compile('^a.c$').re.test('abc'));
  assert.not.ok(compile('^a.c$').re.test('a\nc'), '. does not match newline');
  assert.not.ok(compile('a$').re.test('a\n'), '$ is end of text without (?m)');
  assert.ok(compile('(?m)^b$').re.test('a\nb\nc'));
  assert.not.ok(compile('a\\sb').re.test('a\u000bb'), 'Go \\s excludes \\v');
  assert.ok(compile('[[:digit:]]+').re.test('42'));
  assert.ok(compile('(?P<y>\\d{4})').re.test('2024'));
  assert.ok(compile('\\Qa.b\\E').re.test('a.b'));
  assert.not.ok(compile('\\Qa.b\\E').re.test('axb'));
  assert.ok(compile('\\pL+').re.test('é'));
  assert.ok(compile('a{,3}').re.test('a{,3}'), 'a{ that is not a repeat is literal');
});

test('regexp: constructs Go rejects or that would behave differently are errors', () => {
  for (const [p, msg] of [
    ['a(?=b)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['(?U)a+', '(?U)'],
    ['a(?i)b', 'flags inside the pattern'],
    ['(', 'missing closing )'],
    ['a**', 'invalid nested repetition operator'],
    ['x{1001}', 'invalid repeat count'],
  ] as const) {
    try {
      compile(p);
      assert.unreachable(`${p} should fail`);
    } catch (e) {
      assert.instance(e, RegexpError);
      assert.ok((e as Error).message.startsWith('error parsing regexp: '), (e as Error).message);
      assert.ok((e as Error).message.includes(msg), `${p}: ${(e as Error).message}`);
    }
  }
});

test('regexp: error texts are Go\'s, fragment included (oracle-checked through Sprig)', () => {
  assert.throws(() => compile('('), (e: Error) => e.message === 'error parsing regexp: missing closing ): `(`');
  assert.throws(() => compile('a**'), (e: Error) => e.message === 'error parsing regexp: invalid nested repetition operator: `**`');
  assert.throws(() => compile('[a'), (e: Error) => e.message === 'error parsing regexp: missing closing ]: `[a`');
  assert.throws(() => compile('(a)\\1'), (e: Error) => e.message === 'error parsing regexp: invalid escape sequence: `\\1`');
});

test('regexp: Expand semantics ($1, ${1}, $name, $1x is group "1x", $$)', () => {
  const g = compile('(?P<first>\\w+) (\\w+)');
  const m = findAll(g, 'John Smith', -1)[0]!;
  assert.is(expand('$2, $first', m, g.names), 'Smith, John');
  assert.is(expand('${1}x|$1x|$$|$|$9', m, g.names), 'Johnx||$|$|');
});

test('regexp: empty matches abutting a match are skipped, as in Go', () => {
  assert.is(replaceAll(compile('b*'), 'abc', '-', false), '-a-c-');
  assert.equal(split(compile('a*'), 'baaab', -1), ['b', 'b']);
  assert.equal(
    findAll(compile('a*'), 'baaab', -1).map((m) => m[0]),
    ['', 'aaa', ''],
  );
});

test('base64: Go StdEncoding strictness and error offsets', () => {
  assert.equal(base64Decode('aGk='), { ok: true, value: 'hi' });
  assert.equal(base64Decode('aG\r\nk='), { ok: true, value: 'hi' });
  assert.equal(base64Decode('aGk'), { ok: false, offset: 0 });
  assert.equal(base64Decode('aGk=x'), { ok: false, offset: 4 });
  assert.equal(base64Decode('a!k='), { ok: false, offset: 1 });
  assert.equal(base64Decode('-_8=', urlAlphabet), { ok: true, value: '\xfb\xff' });
  assert.equal(base64Decode('aGk', undefined, false), { ok: true, value: 'hi' });
});

test('json: Marshal escapes HTML and sorts keys; the encoder variant does not escape', () => {
  const m = typedMap(
    new Map<string, GoValue>([
      ['b', '<&>'],
      ['a', [1n, 1.5, null, true]],
    ]),
    'interface {}',
  );
  assert.is(marshal(m, true), '{"a":[1,1.5,null,true],"b":"\\u003c\\u0026\\u003e"}');
  assert.is(marshal(m, false), '{"a":[1,1.5,null,true],"b":"<&>"}');
  assert.is(marshal([1e21, 1e-7, 100], true), '[1e+21,1e-7,100]');
});

test('fmt: Sprintf basics', () => {
  assert.is(sprintf('%s:%05d:%.2f:%q:%v:%x', ['a', 42n, 1.255, 'q"', [1n, 'b'], 'hi']), 'a:00042:1.25:"q\\"":[1 b]:6869');
});

test.run();
