import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { convertKeys, jsonToSecretMap, selectProperty } from '../../src/providers/value.js';

const b = (s: string) => new TextEncoder().encode(s);
const s = (u: Uint8Array | undefined) => (u === undefined ? undefined : new TextDecoder().decode(u));

const Property = suite('remoteRef.property (gjson, ESO rules)');
const doc = b('{"a":"x","n":1.50,"i":42,"big":1e3,"b":true,"o":{"k": 1},"z":null,"a.b":"literal","nested":{"b":"path"},"arr":[{"name":"p"},{"name":"q"}],"esc":{"x.y":"dotted"}}');

Property('strings unquoted, integers raw, other numbers as Go FormatFloat', () => {
  assert.is(s(selectProperty(doc, 'a', 'literal-first')), 'x');
  assert.is(s(selectProperty(doc, 'n', 'literal-first')), '1.5');
  assert.is(s(selectProperty(doc, 'i', 'literal-first')), '42');
  assert.is(s(selectProperty(doc, 'big', 'literal-first')), '1000');
  assert.is(s(selectProperty(doc, 'b', 'literal-first')), 'true');
});

Property('objects verbatim with their whitespace; null is empty but exists', () => {
  assert.is(s(selectProperty(doc, 'o', 'literal-first')), '{"k": 1}');
  assert.is(s(selectProperty(doc, 'z', 'literal-first')), '');
  assert.is(selectProperty(doc, 'missing', 'literal-first'), undefined);
});

Property('AWS tries the literal dotted key first; Azure the path first', () => {
  const both = b('{"a.b":"literal","a":{"b":"path"}}');
  assert.is(s(selectProperty(both, 'a.b', 'literal-first')), 'literal');
  assert.is(s(selectProperty(both, 'a.b', 'path-first')), 'path');
  assert.is(s(selectProperty(doc, 'nested.b', 'literal-first')), 'path');
  assert.is(s(selectProperty(doc, 'a.b', 'path-first')), 'literal', 'falls back to the literal key');
  assert.is(selectProperty(both, 'a.b.c', 'path-only'), undefined);
});

Property('gjson arrays: index, count, projection; escaped dots; wildcards', () => {
  assert.is(s(selectProperty(doc, 'arr.1.name', 'literal-first')), 'q');
  assert.is(s(selectProperty(doc, 'arr.#', 'literal-first')), '2');
  assert.is(s(selectProperty(doc, 'arr.#.name', 'literal-first')), '["p","q"]');
  assert.is(s(selectProperty(doc, 'esc.x\\.y', 'path-only')), 'dotted');
  assert.is(s(selectProperty(doc, 'nes*.b', 'path-only')), 'path');
  assert.is(s(selectProperty(doc, 'nest?d.b', 'path-only')), 'path');
});

Property('non-JSON payloads have no properties', () => {
  assert.is(selectProperty(b('plain text'), 'a', 'literal-first'), undefined);
});

// Payloads that are not strict JSON: gjson.Get never validates, it scans (gjson v1.18.0, the version
// ESO's providers pin: Get skips to the first '{'/'[', parseObject/parseArray skip bytes they do not
// expect and stop at the end of input). Expected values are the Go gjson v1.18.0 oracle's String().
const lenient = (payload: string, property: string) => s(selectProperty(b(payload), property, 'path-only'));

Property('lenient gjson: trailing commas, junk around the top value, truncated documents', () => {
  assert.is(lenient('{"a":"x",}', 'a'), 'x');
  assert.is(lenient('{"a":[1,2,],"b":1}', 'a'), '[1,2,]', 'values are raw text, not re-encoded');
  assert.is(lenient('{"a":[1,2,],"b":1}', 'a.#'), '2');
  assert.is(lenient('{"a":[1,2,],"b":1}', 'a.2'), undefined);
  assert.is(lenient('{"a":[1,2,],"b":1}', 'b'), '1');
  assert.is(lenient('junk {"a":"x"}', 'a'), 'x', 'Get skips to the first { or [');
  assert.is(lenient('{"a":"x"} trailing', 'a'), 'x');
  assert.is(lenient('{"a":"x"}{"a":"y"}', 'a'), 'x');
  assert.is(lenient('{"a":"x","b":', 'a'), 'x', 'found before the truncation');
  assert.is(lenient('{"a":"x","b":', 'b'), undefined);
  assert.is(lenient('{"a":"x"', 'a'), 'x');
  assert.is(lenient('{"a":"x', 'a'), undefined, 'an unterminated string is not found (parseString ok=false)');
  assert.is(lenient('{"a":"x\\', 'a'), undefined);
  assert.is(lenient('[1,2,]', '0'), '1');
  assert.is(lenient('[1,2,]', '#'), '2');
  assert.is(lenient('[1,2', '#'), '2', 'parseArray treats the end of input as ]');
  assert.is(lenient('{"a":[{"n":1},{"n":2},]}', 'a.#.n'), '[1,2]');
  assert.is(lenient('{"a":[{"n":1},{"n":2},', 'a.#.n'), '[1,2]');
  assert.is(lenient('{"a":[{"n":1},{"n":2},', 'a.#'), '2');
});

Property('lenient gjson: nested malformed values are skipped by bracket depth (parseSquash)', () => {
  assert.is(lenient('{"a":{"b":1,},"c":2}', 'a'), '{"b":1,}');
  assert.is(lenient('{"a":{"b":1,},"c":2}', 'a.b'), '1');
  assert.is(lenient('{"a":{"b":1,},"c":2}', 'c'), '2');
  assert.is(lenient('{"a":{"b":"x",,},"c":"y"}', 'c'), 'y');
  assert.is(lenient('{"a":{"b":[1,}],"c":3}', 'c'), '3');
  assert.is(lenient('{"a":[}],"b":1}', 'b'), '1');
  assert.is(lenient('{"a":"}","b":1}', 'b'), '1');
});

Property('lenient gjson: missing colons, unquoted keys and values, odd literals and numbers', () => {
  assert.is(lenient('{"a" "x"}', 'a'), 'x', 'parseObject skips any byte before a value');
  assert.is(lenient('{"a":"x" , }', 'a'), 'x');
  assert.is(lenient('{a:"x"}', 'a'), undefined);
  assert.is(lenient("{'a':'x'}", 'a'), undefined);
  assert.is(lenient('"str"', 'a'), undefined);
  assert.is(lenient('{"a":foo,"b":"y"}', 'a'), 'false', "parseLiteral: an 'f' word is False");
  assert.is(lenient('{"a":foo,"b":"y"}', 'b'), 'y');
  assert.is(lenient('{"a":xyz,"b":"y"}', 'a'), 'b', 'junk is skipped up to the next value: the key "b"');
  assert.is(lenient('{"a":xyz,"b":"y"}', 'b'), undefined);
  assert.is(lenient('{"a":tru}', 'a'), 'true');
  assert.is(lenient('{"a":true,}', 'a'), 'true');
  assert.is(lenient('{"a":nul}', 'a'), '', 'null-ish exists and renders empty');
  assert.is(lenient('{"a":nan}', 'a'), 'NaN');
  assert.is(lenient('{"a":Infinity}', 'a'), '+Inf');
  assert.is(lenient('{"a":1e999}', 'a'), '+Inf');
  assert.is(lenient('{"a":-}', 'a'), '-', 'all-digit check passes on a lone sign: Raw is returned');
  assert.is(lenient('{"a":+1}', 'a'), '1');
  assert.is(lenient('{"a":01}', 'a'), '01');
  assert.is(lenient('{"a":1.0.0}', 'a'), '0', 'ParseFloat fails: Num is 0');
  assert.is(lenient('{"a":1_0}', 'a'), '10', 'ParseFloat takes _ between digits');
  assert.is(lenient('{"a":1__0}', 'a'), '0');
  assert.is(lenient('{"a":0x1p-2}', 'a'), '0.25');
  assert.is(lenient('{"a":+nan}', 'a'), '0', 'ParseFloat reads a sign only before inf');
});

Property('lenient gjson: strings are unescaped as gjson unescape does', () => {
  assert.is(lenient('{"a":"line\nbreak"}', 'a'), 'line\nbreak', 'a raw control byte inside a string is kept');
  assert.is(lenient('{"a":"x\\qy"}', 'a'), 'x', 'an invalid escape ends the string');
  assert.is(lenient('{"a":"\\ud800z"}', 'a'), '\ufffdz');
  assert.is(lenient('{"a":"\\ud83d\\u0041"}', 'a'), '\ufffd', 'a bad pair is consumed whole');
  assert.is(lenient('{"a":"\\u00e9\\uD83D\\uDE00"}', 'a'), '\u00e9\u{1F600}');
  assert.is(lenient('{"a":"\\u12"}', 'a'), '', 'a short \\u escape ends the string');
  assert.is(lenient('{"a": \n\t"x"\r\n}', 'a'), 'x');
});

Property('lenient gjson: bytes that are not UTF-8 pass through unchanged', () => {
  const payload = new Uint8Array([...b('{"a":"'), 0xff, 0xfe, ...b('"}')]);
  assert.equal([...(selectProperty(payload, 'a', 'path-only') ?? [])], [0xff, 0xfe]);
});

Property('lenient gjson: AWS/Azure order still applies', () => {
  assert.is(s(selectProperty(b('{"a.b":"literal",}'), 'a.b', 'literal-first')), 'literal');
  assert.is(s(selectProperty(b('{"a.b":"literal","a":{"b":"path",},'), 'a.b', 'path-first')), 'path');
});

Property('gjson keeps scanning after a matching key whose value does not hold the rest of the path (valid JSON too)', () => {
  // gjson v1.18.0 oracle: parseObject returns to the key loop when the recursive parse finds nothing.
  assert.is(lenient('{"a":{},"a":{"b":1}}', 'a.b'), '1');
  assert.is(lenient('{"ab":{"x":1},"ac":{"b":2}}', 'a*.b'), '2');
  assert.is(lenient('{"a*b":1,"axb":2}', 'a\\*b'), '1');
  assert.is(lenient('{"axb":2,"a*b":1}', 'a?b'), '2');
});

Property('gjson JSON Lines paths (..): the document is read as an array of values', () => {
  assert.is(lenient('{"a":1}\n{"a":2}', '..#.a'), '[1,2]');
  assert.is(lenient('{"a":1}\n{"a":2}', '..1.a'), '2');
});

Property('a pipe applies gjson.Get to the raw result: a JSON string value is not parsed', () => {
  assert.is(lenient('{"a":"{\\"b\\":1}"}', 'a|b'), undefined);
});

Property('modifiers, static values and queries anywhere in the path are refused, not evaluated', () => {
  assert.throws(() => lenient('{"a":{"b":1}}', 'a.@this'), /modifiers/);
  assert.throws(() => lenient('{"a":1}', '!true'), /static values/);
  assert.throws(() => lenient('[[{"a":1}]]', '#.#[a=1]'), /queries/);
  assert.is(lenient('{"a":{"@x":1}}', 'a|@x'), '1', '@x is no modifier: a plain key');
});

Property('gjson modifiers are refused clearly', () => {
  assert.throws(() => selectProperty(doc, '@reverse', 'literal-first'), /modifiers/);
});

Property('gjson pipe: what follows | applies to the result so far (after a # projection it indexes the projected array)', () => {
  assert.is(s(selectProperty(doc, 'arr.#.name|0', 'path-only')), 'p');
  assert.is(s(selectProperty(doc, 'arr.#.name.0', 'path-only')), '[]');
  assert.is(s(selectProperty(doc, 'nested|b', 'path-only')), 'path');
  assert.is(selectProperty(doc, 'arr.#|0', 'path-only'), undefined);
});

const Extract = suite('dataFrom.extract (esutils.JSONToSecretDataMap)');

Extract('top-level fields: strings unescaped, others raw, null empty', () => {
  const m = jsonToSecretMap(b('{"a":"x\\n","n":1.50,"b":true,"o":{"k": 1},"z":null,"arr":[1, 2]}'));
  assert.equal(
    Object.fromEntries([...m].map(([k, v]) => [k, s(v)])),
    { a: 'x\n', n: '1.50', b: 'true', o: '{"k": 1}', z: '', arr: '[1, 2]' },
  );
});

Extract('duplicate keys: the last wins', () => {
  assert.is(s(jsonToSecretMap(b('{"a":"1","a":"2"}')).get('a')), '2');
});

Extract('non-objects fail with Go\'s message; null is an empty map', () => {
  assert.throws(() => jsonToSecretMap(b('[1]')), /json: cannot unmarshal array into Go value of type map\[string\]json.RawMessage/);
  assert.throws(() => jsonToSecretMap(b('"s"')), /cannot unmarshal string/);
  assert.throws(() => jsonToSecretMap(b('nope')), /invalid character/);
  assert.is(jsonToSecretMap(b('null')).size, 0);
});

Extract('a UTF-8 BOM is not JSON: extract fails as json.Unmarshal does, while gjson (property) skips to the first {', () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...b('{"a":"x"}')]);
  assert.throws(() => jsonToSecretMap(bom), /invalid character/);
  assert.is(s(selectProperty(bom, 'a', 'literal-first')), 'x');
});

const Convert = suite('conversionStrategy (esutils.ConvertKeys)');

Convert('Default replaces each invalid rune with _', () => {
  const m = convertKeys('Default', new Map([['db/password', b('x')], ['prod:key', b('y')]]));
  assert.equal([...m.keys()], ['db_password', 'prod_key']);
});

Convert('Unicode writes _U%04x_ with lowercase hex', () => {
  const m = convertKeys('Unicode', new Map([['a/b', b('x')], ['😀', b('y')]]));
  assert.equal([...m.keys()], ['a_U002f_b', '_U1f600_']);
});

Convert('Unicode letters and numbers are kept, as Go unicode.IsLetter/IsNumber', () => {
  assert.equal([...convertKeys('Default', new Map([['pässword٣', b('x')]])).keys()], ['pässword٣']);
});

Convert('a collision after conversion is an error', () => {
  assert.throws(() => convertKeys('Default', new Map([['a/b', b('1')], ['a_b', b('2')]])), /secret name collision during conversion: a_b/);
});

Property.run();
Extract.run();
Convert.run();
