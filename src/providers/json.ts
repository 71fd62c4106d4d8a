/**
 * A JSON scanner that keeps each value's raw text span. ESO returns nested objects, arrays and
 * numbers *verbatim* (original whitespace and digits), so we can't round-trip through JSON.parse.
 */
export type JsonNode =
  | { readonly type: 'object'; readonly raw: string; readonly entries: ReadonlyArray<readonly [string, JsonNode]> }
  | { readonly type: 'array'; readonly raw: string; readonly items: readonly JsonNode[] }
  | { readonly type: 'string'; readonly raw: string; readonly value: string }
  | { readonly type: 'number'; readonly raw: string; readonly value: number }
  | { readonly type: 'bool'; readonly raw: string; readonly value: boolean }
  | { readonly type: 'null'; readonly raw: string };

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 1000;

export function parseJson(text: string): JsonNode {
  let i = 0;
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    if (i >= text.length) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${JSON.stringify(text[i])} ${what}`);
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('exceeded max depth');
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<readonly [string, JsonNode]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { type: 'object', raw: text.slice(start, i), entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const key = string();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        entries.push([key, value(depth + 1)]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { type: 'object', raw: text.slice(start, i), entries };
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { type: 'array', raw: text.slice(start, i), items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { type: 'array', raw: text.slice(start, i), items };
        }
        fail('after array element');
      }
    }
    if (c === '"') {
      const v = string();
      return { type: 'string', raw: text.slice(start, i), value: v };
    }
    if (text.startsWith('true', i)) {
      i += 4;
      return { type: 'bool', raw: 'true', value: true };
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return { type: 'bool', raw: 'false', value: false };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { type: 'null', raw: 'null' };
    }
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const num = m.exec(text);
    if (num && num[0] !== '' && num[0] !== '-') {
      i += num[0].length;
      return { type: 'number', raw: num[0], value: Number(num[0]) };
    }
    return fail('looking for beginning of value');
  };
  const string = (): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === 0x22) break;
      if (c < 0x20) fail('in string literal');
      i++;
    }
    if (i >= text.length) fail('in string literal');
    i++;
    const raw = text.slice(start, i);
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw new JsonSyntaxError('invalid character in string escape code');
    }
  };
  const root = value(0);
  ws();
  if (i < text.length) fail('after top-level value');
  return root;
}
