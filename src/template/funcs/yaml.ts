// ESO's toYaml/fromYaml: sigs.k8s.io/yaml, i.e. JSON ⇄ yaml.v2 (go.yaml.in/yaml/v2).
// toYaml re-implements yaml.v2's block emitter for JSON-shaped values (key order, scalar
// styles, quoting and 80-column folding); fromYaml parses YAML 1.1 with the `yaml` package
// and converts through JSON as sigs.k8s.io/yaml does (numbers become float64).
import { parse as yamlParse } from 'yaml';
import { fromText, toText } from '../../go/bytes.js';
import { formatFloat, quote } from '../../go/fmt.js';
import { marshal, unmarshal } from '../../go/json.js';
import { type GoMap, type GoValue, typedMap } from '../../go/value.js';

// ---------- toYaml ----------

/** A value after json.Marshal → yaml.v2 Unmarshal: what yaml.v2 Marshal then sees. */
type YNode = null | boolean | { int: string } | { float: number } | string | YNode[] | Map<string, YNode>;

function fromJSONText(json: string): YNode {
  // Parse JSON ourselves to keep the int/float distinction yaml.v2 would see.
  let i = 0;
  const ws = (): void => {
    while (i < json.length && ' \t\r\n'.includes(json[i]!)) i++;
  };
  const val = (): YNode => {
    ws();
    const c = json[i]!;
    if (c === '{') {
      i++;
      const m = new Map<string, YNode>();
      ws();
      if (json[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        const k = val() as string;
        ws();
        i++; // :
        m.set(k, val());
        ws();
        if (json[i++] === '}') return m;
      }
    }
    if (c === '[') {
      i++;
      const a: YNode[] = [];
      ws();
      if (json[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(val());
        ws();
        if (json[i++] === ']') return a;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const s = JSON.parse(json.slice(i, j + 1)) as string;
      i = j + 1;
      return s;
    }
    const m = /^(null|true|false|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(json.slice(i))!;
    i += m[0].length;
    if (m[0] === 'null') return null;
    if (m[0] === 'true' || m[0] === 'false') return m[0] === 'true';
    if (/^-?\d+$/.test(m[0])) return { int: m[0] };
    return { float: Number(m[0]) };
  };
  return val();
}

/** yaml.v2 keyList.Less for string keys: letters before digits, digit runs compared as numbers. */
function keyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

const nullRe = /^(~|null|Null|NULL)?$/;
const boolRe = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const intRe = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/;
const floatRe = /^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const base60Re = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const timestampRe = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/;

/** Would yaml.v2 resolve this plain scalar to something other than a string? */
function resolvesNonString(s: string): boolean {
  return nullRe.test(s) || boolRe.test(s) || intRe.test(s) || floatRe.test(s) || timestampRe.test(s);
}

const isBlank = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isPrintableYaml = (r: number): boolean =>
  r === 0x0a || (r >= 0x20 && r <= 0x7e) || r === 0x85 || (r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd && r !== 0xfeff) || r >= 0x10000;

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

/** yaml_emitter_analyze_scalar */
function analyze(s: string): Analysis {
  const a: Analysis = { multiline: false, flowPlain: true, blockPlain: true, single: true, block: true };
  if (s === '') return { multiline: false, flowPlain: false, blockPlain: true, single: true, block: false };
  if (s.startsWith('---') || s.startsWith('...')) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  const cs = [...s];
  let flowInd = false;
  let blockInd = false;
  let special = false;
  let lineBreaks = false;
  let spaceBreak = false;
  let breakSpace = false;
  let prevSpace = false;
  let prevBreak = false;
  let precededByWs = true;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    const next = cs[i + 1];
    const followedByWs = isBlank(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
        flowInd = true;
        blockInd = true;
      }
      if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '-' && followedByWs) {
        flowInd = true;
        blockInd = true;
      }
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '#' && precededByWs) {
        flowInd = true;
        blockInd = true;
      }
    }
    const r = c.codePointAt(0)!;
    if (!isPrintableYaml(r)) special = true;
    if (c === '\n') lineBreaks = true;
    if (c === ' ') {
      if (i === 0) a.flowPlain = a.blockPlain = false; // leading space
      if (i === cs.length - 1) {
        a.flowPlain = a.blockPlain = false;
        a.block = false; // trailing space
      }
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (c === '\n') {
      if (i === 0) a.flowPlain = a.blockPlain = false; // leading break
      if (i === cs.length - 1) a.flowPlain = a.blockPlain = false; // trailing break
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlank(c);
  }
  a.multiline = lineBreaks;
  if (breakSpace) {
    a.flowPlain = a.blockPlain = false;
    a.single = false;
  }
  if (spaceBreak || special) {
    a.flowPlain = a.blockPlain = false;
    a.single = false;
    a.block = false;
  }
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

const BEST_WIDTH = 80;

class Emitter {
  out = '';
  column = 0;

  write(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }

  indentLine(indent: number): void {
    this.write(`\n${' '.repeat(indent)}`);
  }

  /** A string scalar; `indent` is the indentation for continuation lines. */
  str(s: string, indent: number, simpleKey: boolean): void {
    const a = analyze(s);
    let style: 'plain' | 'single' | 'double' | 'literal';
    if (s.includes('\n') && !simpleKey) style = 'literal';
    else if (!resolvesNonString(s) && !base60Re.test(s)) style = 'plain';
    else style = 'double';
    if (style === 'plain') {
      if ((simpleKey && a.multiline) || !a.blockPlain || s === '') style = 'single';
    }
    if (style === 'single' && !a.single) style = 'double';
    if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
    if (simpleKey && a.multiline) style = 'double';
    const allowBreaks = !simpleKey;
    const cs = [...s];
    switch (style) {
      case 'plain': {
        let spaces = false;
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i]!;
          if (c === ' ') {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && cs[i + 1] !== ' ') this.indentLine(indent);
            else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            spaces = false;
          }
        }
        return;
      }
      case 'single': {
        this.write("'");
        let spaces = false;
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i]!;
          if (c === ' ') {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== cs.length - 1 && cs[i + 1] !== ' ') this.indentLine(indent);
            else this.write(c);
            spaces = true;
          } else {
            this.write(c === "'" ? "''" : c);
            spaces = false;
          }
        }
        this.write("'");
        return;
      }
      case 'double': {
        this.write('"');
        let spaces = false;
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i]!;
          const r = c.codePointAt(0)!;
          if (!isPrintableYaml(r) || r === 0xfeff || c === '\n' || c === '\r' || c === '"' || c === '\\' || r === 0x85 || r === 0x2028 || r === 0x2029) {
            const esc: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e', 34: '"', 92: '\\', 133: 'N', 160: '_', 8232: 'L', 8233: 'P' };
            if (esc[r] !== undefined) this.write(`\\${esc[r]}`);
            else if (r <= 0xff) this.write(`\\x${r.toString(16).toUpperCase().padStart(2, '0')}`);
            else if (r <= 0xffff) this.write(`\\u${r.toString(16).toUpperCase().padStart(4, '0')}`);
            else this.write(`\\U${r.toString(16).toUpperCase().padStart(8, '0')}`);
            spaces = false;
          } else if (c === ' ') {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== cs.length - 1) {
              this.indentLine(indent);
              if (cs[i + 1] === ' ') this.write('\\');
            } else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            spaces = false;
          }
        }
        this.write('"');
        return;
      }
      case 'literal': {
        const lead = s[0] === ' ' || s[0] === '\n' ? '2' : '';
        let chomp = '';
        if (!s.endsWith('\n')) chomp = '-';
        else if (s === '\n' || s.endsWith('\n\n')) chomp = '+';
        this.write(`|${lead}${chomp}`);
        const lines = s.split('\n');
        if (s.endsWith('\n')) lines.pop();
        for (const line of lines) {
          this.out += '\n';
          this.column = 0;
          if (line !== '') this.write(' '.repeat(indent) + line);
        }
        if (chomp === '+') {
          // trailing empty lines are kept by the content itself
        }
        return;
      }
    }
  }

  scalar(v: YNode, indent: number, simpleKey = false): void {
    if (v === null) this.write('null');
    else if (typeof v === 'boolean') this.write(v ? 'true' : 'false');
    else if (typeof v === 'string') this.str(v, indent, simpleKey);
    else if ('int' in v) this.write(v.int);
    else this.write(floatText((v as { float: number }).float));
  }

  node(v: YNode, indent: number): void {
    if (v instanceof Map) {
      if (v.size === 0) {
        this.write('{}');
        return;
      }
      const keys = [...v.keys()].sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
      keys.forEach((k, n) => {
        if (n > 0) this.indentLine(indent);
        this.scalar(k, indent, true);
        this.write(':');
        const val = v.get(k)!;
        if (val instanceof Map && val.size > 0) {
          this.indentLine(indent + 2);
          this.node(val, indent + 2);
        } else if (Array.isArray(val) && val.length > 0) {
          this.indentLine(indent);
          this.node(val, indent);
        } else {
          this.write(' ');
          this.node(val, indent + 2);
        }
      });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) {
        this.write('[]');
        return;
      }
      v.forEach((item, n) => {
        if (n > 0) this.indentLine(indent);
        this.write('- ');
        this.node(item, indent + 2);
      });
      return;
    }
    this.scalar(v, indent);
  }
}

function floatText(f: number): string {
  if (f === Number.POSITIVE_INFINITY) return '.inf';
  if (f === Number.NEGATIVE_INFINITY) return '-.inf';
  if (Number.isNaN(f)) return '.nan';
  return formatFloat(f, 'g', -1);
}

/** ESO toYaml: sigs.k8s.io/yaml Marshal, trailing newline trimmed, "" on error. */
export function toYaml(v: GoValue): string {
  let json: string;
  try {
    json = marshal(v, true);
  } catch {
    return '';
  }
  const e = new Emitter();
  e.node(fromJSONText(toText(json)), 0);
  return fromText(e.out);
}

// ---------- fromYaml ----------

class YamlToJSONError extends Error {}

function goTimeRFC3339Nano(d: Date): string {
  const iso = d.toISOString(); // always UTC, milliseconds
  return iso.replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

function toJSONish(v: unknown): unknown {
  if (v instanceof Date) return goTimeRFC3339Nano(v);
  if (typeof v === 'number' && !Number.isFinite(v)) throw new YamlToJSONError(`json: unsupported value: ${formatFloat(v, 'g', -1)}`);
  if (Array.isArray(v)) return v.map(toJSONish);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) {
      let key: string;
      if (typeof k === 'string') key = k;
      else if (typeof k === 'number') key = Number.isInteger(k) ? String(k) : formatFloat(k, 'g', -1);
      else if (typeof k === 'boolean') key = String(k);
      else if (k === null || k === undefined) {
        const val = typeof x === 'string' ? quote(fromText(x)) : x === null ? '<nil>' : String(x);
        throw new YamlToJSONError(`Unsupported map key of type: %!s(<nil>), key: <nil>, value: ${val}`);
      } else throw new YamlToJSONError('Unsupported map key');
      o[key] = toJSONish(x);
    }
    return o;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  return v;
}

/** ESO fromYaml: map[string]any, or {Error: message} when the YAML is not a map or does not parse. */
export function fromYaml(s: string): GoMap {
  const m = typedMap(new Map<string, GoValue>(), 'interface {}');
  let v: unknown;
  try {
    v = yamlParse(toText(s), {
      version: '1.1',
      uniqueKeys: false,
      merge: true,
      mapAsMap: true,
      // yaml.v2 has no sexagesimal numbers.
      customTags: (tags) => tags.filter((t) => (t as { format?: string }).format !== 'TIME'),
    });
  } catch (e) {
    void e;
    m.set('Error', 'error converting YAML to JSON: yaml: invalid YAML');
    return m;
  }
  if (v === null || v === undefined) return m;
  let j: unknown;
  try {
    j = toJSONish(v);
  } catch (e) {
    m.set('Error', `error converting YAML to JSON: ${(e as Error).message}`);
    return m;
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) {
    const kind = Array.isArray(j) ? 'array' : typeof j === 'string' ? 'string' : typeof j === 'boolean' ? 'bool' : 'number';
    m.set('Error', `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
    return m;
  }
  const g = unmarshal(fromText(JSON.stringify(j)));
  return g instanceof Map ? g : m;
}

