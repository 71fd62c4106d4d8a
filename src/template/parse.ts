// Lexer and parser for Go text/template, following go/src/text/template/parse/{lex,parse}.go
// (Go 1.23 behaviour where it differs from older releases: `else with`, range over integers).
// Input and output strings are Go byte strings (see ../go/bytes.ts).
import { decodeRune, runeCount } from '../go/bytes.js';
import { quote } from '../go/fmt.js';
import { unquoteGo } from './unquote.js';

export class ParseError extends Error {}

// ---------- lexer ----------

type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'assign'
  | 'declare'
  | 'EOF'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | 'dot'
  | 'keyword';

interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

const keywords = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

function itemString(i: Item): string {
  if (i.typ === 'EOF') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (i.typ === 'keyword') return `<${i.val}>`;
  // fmt's %.10q: the first ten runes, quoted.
  if (runeCount(i.val) > 10) {
    let end = 0;
    for (let k = 0; k < 10; k++) end += decodeRune(i.val, end)[1];
    return `${quote(i.val.slice(0, end))}...`;
  }
  return quote(i.val);
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
/** Go's isAlphaNumeric on our byte strings: ASCII letters, digits, '_' and any non-ASCII byte (a UTF-8 letter in practice). */
const isAlnum = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const r = c.charCodeAt(0);
  return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122) || r >= 0x80;
};
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

// Sticky scanners: the regex engine does the per-character work (much cheaper than
// interpreted per-character calls before the JIT warms up).
const reSpace = /[ \t\r\n]+/y;
const reAlnum = /[A-Za-z0-9_\x80-\xff]*/y;
const reString = /"(?:[^"\\\n]|\\[^\n])*"/y;

/** Length of the sticky match of re at pos (0 if none). */
function stickyLen(re: RegExp, input: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(input) ? re.lastIndex - pos : -1;
}

function lex(input: string, left: string, right: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  const emit = (typ: ItemType, val = input.slice(start, pos)): void => {
    items.push({ typ, pos: start, val, line: startLine });
    start = pos;
    startLine = line;
  };
  const advance = (n: number): void => {
    if (n === 1) {
      if (input.charCodeAt(pos) === 10) line++;
      pos++;
      return;
    }
    const end = pos + n;
    for (let k = pos; k < end; k++) if (input.charCodeAt(k) === 10) line++;
    pos = end;
  };
  const ignore = (): void => {
    start = pos;
    startLine = line;
  };
  const fail = (msg: string): never => {
    items.push({ typ: 'error', pos: start, val: msg, line: startLine });
    throw items;
  };
  const hasLeftTrim = (s: number): boolean => input[s] === '-' && isSpace(input[s + 1]);
  /** 0: not at the right delimiter; 1: at it; 2: at it with a " -" trim marker. */
  const atRightDelim = (): 0 | 1 | 2 => {
    if (input.startsWith(right, pos)) return 1;
    if (input.charCodeAt(pos + 1) === 45 && isSpace(input[pos]) && input.startsWith(right, pos + 2)) return 2;
    return 0;
  };
  const rightTrimLength = (s: string): number => s.length - s.replace(/[ \t\r\n]+$/, '').length;
  const leftTrimLength = (s: string): number => s.length - s.replace(/^[ \t\r\n]+/, '').length;

  try {
    for (;;) {
      // lexText
      const x = input.indexOf(left, pos);
      if (x < 0) {
        advance(input.length - pos);
        if (pos > start) emit('text');
        items.push({ typ: 'EOF', pos, val: '', line });
        return items;
      }
      advance(x - pos);
      const text = input.slice(start, pos);
      const trimLeft = hasLeftTrim(pos + left.length);
      if (trimLeft) {
        const n = rightTrimLength(text);
        const saved = pos;
        pos -= n;
        if (pos > start) emit('text');
        pos = saved;
        ignore();
        startLine = line;
      } else if (pos > start) emit('text');
      // lexLeftDelim
      const after = trimLeft ? 2 : 0;
      if (input.startsWith('/*', pos + left.length + after)) {
        advance(left.length + after);
        ignore();
        // lexComment
        const end = input.indexOf('*/', pos + 2);
        if (end < 0) fail('unclosed comment');
        advance(end + 2 - pos);
        const d = atRightDelim();
        const trimRight = d === 2;
        if (!d) fail('comment ends before closing delimiter');
        emit('comment');
        if (trimRight) advance(2);
        advance(right.length);
        if (trimRight) advance(leftTrimLength(input.slice(pos)));
        ignore();
        continue;
      }
      advance(left.length);
      emit('leftDelim');
      advance(after);
      ignore();
      parenDepth = 0;
      // lexInsideAction
      for (;;) {
        const d = atRightDelim();
        const trimRight = d === 2;
        if (d) {
          if (parenDepth !== 0) fail('unclosed left paren');
          if (trimRight) {
            advance(2);
            ignore();
          }
          advance(right.length);
          emit('rightDelim');
          if (trimRight) {
            advance(leftTrimLength(input.slice(pos)));
            ignore();
          }
          break;
        }
        const c = input[pos];
        if (c === undefined) return fail('unclosed action');
        if (isSpace(c)) {
          // lexSpace: a space followed by "-}}" belongs to the trim marker.
          const n = stickyLen(reSpace, input, pos);
          advance(n);
          if (input[pos] === '-' && input.startsWith(right, pos + 1)) {
            pos--;
            if (input[pos] === '\n') line--;
            if (n === 1) continue;
          }
          emit('space');
          continue;
        }
        if (c === '=') {
          advance(1);
          emit('assign');
        } else if (c === ':') {
          if (input[pos + 1] !== '=') {
            advance(1);
            fail('expected :=');
          }
          advance(2);
          emit('declare');
        } else if (c === '|') {
          advance(1);
          emit('pipe');
        } else if (c === '"') {
          const n = stickyLen(reString, input, pos);
          if (n < 0) fail('unterminated quoted string');
          pos += n;
          emit('string');
        } else if (c === '`') {
          advance(1);
          const end = input.indexOf('`', pos);
          if (end < 0) fail('unterminated raw quoted string');
          advance(end + 1 - pos);
          emit('rawString');
        } else if (c === '$') {
          pos += 1 + stickyLen(reAlnum, input, pos + 1);
          checkTerminator();
          emit('variable');
        } else if (c === "'") {
          advance(1);
          for (;;) {
            const ch = input[pos];
            if (ch === '\\') {
              advance(1);
              const n = input[pos];
              if (n === undefined || n === '\n') fail('unterminated character constant');
              advance(1);
              continue;
            }
            if (ch === undefined || ch === '\n') fail('unterminated character constant');
            advance(1);
            if (ch === "'") break;
          }
          emit('charConstant');
        } else if (c === '.') {
          if (isDigit(input[pos + 1])) {
            lexNumber();
          } else {
            advance(1);
            if (!isAlnum(input[pos])) {
              // Go's lexField with an empty name is a dot... unless followed by a terminator.
              checkTerminator();
              emit('dot');
            } else {
              pos += stickyLen(reAlnum, input, pos);
              checkTerminator();
              emit('field');
            }
          }
        } else if (c === '+' || c === '-' || isDigit(c)) {
          lexNumber();
        } else if (isAlnum(c)) {
          pos += stickyLen(reAlnum, input, pos);
          checkTerminator();
          const word = input.slice(start, pos);
          if (keywords.has(word)) emit('keyword');
          else if (word === 'true' || word === 'false') emit('bool');
          else emit('identifier');
        } else if (c === '(') {
          advance(1);
          emit('leftParen');
          parenDepth++;
        } else if (c === ')') {
          advance(1);
          parenDepth--;
          // Go emits the paren before reporting the imbalance, so the parser complains first.
          emit('rightParen');
          if (parenDepth < 0) fail(`unexpected right paren ${unicodeHash(')')}`);
        } else if (c.charCodeAt(0) <= 0x7f && c !== '\x7f' && c >= ' ') {
          advance(1);
          emit('char');
        } else {
          fail(`unrecognized character in action: ${unicodeHash(c)}`);
        }
      }
    }
  } catch (e) {
    if (e === items) return items;
    throw e;
  }

  function checkTerminator(): void {
    const r = input[pos];
    if (r === undefined || isSpace(r)) return;
    if ('.,|:)('.includes(r)) return;
    if (input.startsWith(right, pos)) return;
    fail(`bad character ${unicodeHash(r)}`);
  }

  /** lex.go scanNumber: permissive here; the parser validates the text. */
  function lexNumber(): void {
    const accept = (set: string): boolean => {
      const c = input[pos];
      if (c !== undefined && set.includes(c)) {
        pos++;
        return true;
      }
      return false;
    };
    const acceptRun = (set: string): void => {
      while (accept(set));
    };
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlnum(input[pos])) {
      pos++;
      fail(`bad number syntax: ${quote(input.slice(start, pos))}`);
    }
    emit('number');
  }

}

function unicodeHash(c: string): string {
  const r = c.charCodeAt(0);
  return `U+${r.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

// ---------- nodes ----------

export type Node =
  | { t: 'text'; pos: number; text: string }
  | { t: 'comment'; pos: number }
  | { t: 'action'; pos: number; line: number; pipe: Pipe }
  | ControlNode
  | { t: 'template'; pos: number; line: number; name: string; pipe: Pipe | null }
  | { t: 'break' | 'continue'; pos: number; line: number }
  | List;

export interface ControlNode {
  t: 'if' | 'with' | 'range';
  pos: number;
  line: number;
  pipe: Pipe;
  list: List;
  elseList: List | null;
}

export interface List {
  t: 'list';
  pos: number;
  nodes: Node[];
}

export interface Pipe {
  t: 'pipe';
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VarNode[];
  cmds: Command[];
}

export interface Command {
  t: 'command';
  pos: number;
  args: Arg[];
}

export interface VarNode {
  t: 'variable';
  pos: number;
  ident: string[];
}

export type Arg =
  | VarNode
  | Pipe
  | { t: 'field'; pos: number; ident: string[] }
  | { t: 'chain'; pos: number; node: Arg; field: string[] }
  | { t: 'identifier'; pos: number; ident: string }
  | { t: 'dot'; pos: number }
  | { t: 'nil'; pos: number }
  | { t: 'bool'; pos: number; val: boolean }
  | { t: 'string'; pos: number; quoted: string; text: string }
  | NumberNode;

export interface NumberNode {
  t: 'number';
  pos: number;
  text: string;
  isInt: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
}

/** node.String() as Go prints it in error contexts. */
export function nodeString(n: Node | Arg | Command): string {
  switch (n.t) {
    case 'text':
      return quote(n.text);
    case 'comment':
      return '{{/* */}}';
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'with':
    case 'range': {
      let s = `{{${n.t} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`;
      return `${s}{{end}}`;
    }
    case 'template':
      return n.pipe ? `{{template ${quote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${quote(n.name)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = `${n.decl.map(nodeString).join(', ')} ${n.isAssign ? '=' : ':='} `;
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.t === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'variable':
      return n.ident.join('.');
    case 'field':
      return `.${n.ident.join('.')}`;
    case 'chain': {
      const inner = n.node.t === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return `${inner}.${n.field.join('.')}`;
    }
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.val ? 'true' : 'false';
    case 'string':
      return n.quoted;
    case 'number':
      return n.text;
  }
}

// ---------- parser ----------

export interface Tree {
  name: string;
  root: List;
}

/** Parses `text` named `name`; returns the main tree plus `define`/`block` trees by name. */
export function parse(
  name: string,
  text: string,
  delims: [string, string],
  hasFunction: (name: string) => boolean,
): Map<string, Tree> {
  const items = lex(text, delims[0], delims[1]);
  const trees = new Map<string, Tree>();
  let i = 0;
  let actionLine = 0;
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  let curLine = 1;

  const errorf = (msg: string): never => {
    throw new ParseError(`template: ${name}:${curLine}: ${msg}`);
  };
  const next = (): Item => {
    const it = items[i] ?? items[items.length - 1]!;
    i++;
    curLine = it.line;
    return it;
  };
  const backup = (n = 1): void => {
    i -= n;
  };
  const peek = (): Item => items[i] ?? items[items.length - 1]!;
  const nextNonSpace = (): Item => {
    let it = next();
    while (it.typ === 'space') it = next();
    return it;
  };
  const peekNonSpace = (): Item => {
    const it = nextNonSpace();
    backup();
    return it;
  };
  const unexpected = (tok: Item, context: string): never => {
    if (tok.typ === 'error') {
      let extra = '';
      if (actionLine !== 0 && actionLine !== tok.line) {
        extra = ` in action started at ${name}:${actionLine}`;
        if (tok.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      return errorf(`${tok.val}${extra}`);
    }
    return errorf(`unexpected ${itemString(tok)} in ${context}`);
  };
  const expect = (typ: ItemType, context: string): Item => {
    const tok = nextNonSpace();
    if (tok.typ !== typ) unexpected(tok, context);
    return tok;
  };
  const isKw = (it: Item, kw: string): boolean => it.typ === 'keyword' && it.val === kw;

  type Ctl = Node | { t: 'end'; pos: number } | { t: 'else'; pos: number; line: number };

  const itemList = (): [List, Ctl] => {
    const list: List = { t: 'list', pos: peekNonSpace().pos, nodes: [] };
    while (peekNonSpace().typ !== 'EOF') {
      const n = textOrAction();
      if (n.t === 'end' || n.t === 'else') return [list, n];
      list.nodes.push(n);
    }
    return errorf('unexpected EOF');
  };

  const textOrAction = (): Ctl => {
    const tok = nextNonSpace();
    switch (tok.typ) {
      case 'text':
        return { t: 'text', pos: tok.pos, text: tok.val };
      case 'leftDelim': {
        actionLine = tok.line;
        try {
          return action();
        } finally {
          actionLine = 0;
        }
      }
      case 'comment':
        return { t: 'comment', pos: tok.pos };
      default:
        return unexpected(tok, 'input');
    }
  };

  const action = (): Ctl => {
    const tok = nextNonSpace();
    if (tok.typ === 'keyword') {
      switch (tok.val) {
        case 'block':
          return blockControl();
        case 'break':
        case 'continue': {
          const t2 = nextNonSpace();
          if (t2.typ !== 'rightDelim') unexpected(t2, `{{${tok.val}}}`);
          if (rangeDepth === 0) errorf(`{{${tok.val}}} outside {{range}}`);
          return { t: tok.val, pos: tok.pos, line: tok.line };
        }
        case 'else': {
          const p = peekNonSpace();
          if (isKw(p, 'if') || isKw(p, 'with')) return { t: 'else', pos: p.pos, line: p.line };
          const t2 = expect('rightDelim', 'else');
          return { t: 'else', pos: t2.pos, line: t2.line };
        }
        case 'end':
          return { t: 'end', pos: expect('rightDelim', 'end').pos };
        case 'if':
        case 'range':
        case 'with':
          return control(tok.val);
        case 'template':
          return templateControl();
      }
    }
    backup();
    const p = peek();
    return { t: 'action', pos: p.pos, line: p.line, pipe: pipeline('command', 'rightDelim') };
  };

  const control = (kind: 'if' | 'range' | 'with'): Node => {
    const mark = vars.length;
    const pipe = pipeline(kind, 'rightDelim');
    if (kind === 'range') rangeDepth++;
    let [list, nxt] = itemList();
    if (kind === 'range') rangeDepth--;
    let elseList: List | null = null;
    if (nxt.t === 'else') {
      const p = peek();
      // `else if` (and, since Go 1.23, `else with`) chain into a nested control.
      if ((kind === 'if' && isKw(p, 'if')) || (kind === 'with' && isKw(p, 'with'))) {
        next();
        elseList = { t: 'list', pos: nxt.pos, nodes: [control(kind)] };
      } else {
        [elseList, nxt] = itemList();
        if (nxt.t !== 'end') errorf(`expected end; found ${ctlString(nxt)}`);
      }
    }
    vars = vars.slice(0, mark);
    list = list ?? { t: 'list', pos: 0, nodes: [] };
    return { t: kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
  };

  const ctlString = (n: Ctl): string => (n.t === 'end' ? '{{end}}' : n.t === 'else' ? '{{else}}' : nodeString(n));

  const templateName = (tok: Item, context: string): string => {
    if (tok.typ === 'string' || tok.typ === 'rawString') return unquote(tok.val);
    return unexpected(tok, context);
  };

  const unquote = (q: string): string => {
    const s = unquoteGo(q);
    if (s === null) return errorf('invalid syntax');
    return s;
  };

  const templateControl = (): Node => {
    const tok = nextNonSpace();
    const tname = templateName(tok, 'template clause');
    let pipe: Pipe | null = null;
    if (nextNonSpace().typ !== 'rightDelim') {
      backup();
      pipe = pipeline('template clause', 'rightDelim');
    }
    return { t: 'template', pos: tok.pos, line: tok.line, name: tname, pipe };
  };

  const addTree = (tname: string, root: List): void => {
    const old = trees.get(tname);
    // parse.(*Tree).add: an empty redefinition is ignored, two non-empty ones are an error.
    if (old && !isEmptyTree(old.root)) {
      if (isEmptyTree(root)) return;
      errorf(`template: multiple definition of template ${quote(tname)}`);
    }
    trees.set(tname, { name: tname, root });
  };

  const blockControl = (): Node => {
    const tok = nextNonSpace();
    const tname = templateName(tok, 'block clause');
    const pipe = pipeline('block clause', 'rightDelim');
    const savedVars = vars;
    const savedDepth = rangeDepth;
    vars = ['$'];
    rangeDepth = 0;
    const [root, end] = itemList();
    if (end.t !== 'end') errorf(`unexpected ${ctlString(end)} in block clause`);
    vars = savedVars;
    rangeDepth = savedDepth;
    addTree(tname, root);
    return { t: 'template', pos: tok.pos, line: tok.line, name: tname, pipe };
  };

  const pipeline = (context: string, end: ItemType): Pipe => {
    const tok = peekNonSpace();
    const pipe: Pipe = { t: 'pipe', pos: tok.pos, line: tok.line, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const save = i;
      const v = peekNonSpace();
      if (v.typ !== 'variable') break;
      nextNonSpace();
      const nx = peekNonSpace();
      if (nx.typ === 'assign' || nx.typ === 'declare') {
        pipe.isAssign = nx.typ === 'assign';
        nextNonSpace();
        pipe.decl.push({ t: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
      } else if (nx.typ === 'char' && nx.val === ',') {
        nextNonSpace();
        pipe.decl.push({ t: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = peekNonSpace().typ;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue;
          errorf('range can only initialize variables');
        }
        errorf(`too many declarations in ${context}`);
      } else {
        i = save;
      }
      break;
    }
    for (;;) {
      const t2 = nextNonSpace();
      if (t2.typ === end) {
        if (pipe.cmds.length === 0) errorf(`missing value for ${context}`);
        pipe.cmds.slice(1).forEach((c, k) => {
          const a = c.args[0]!.t;
          if (a === 'bool' || a === 'dot' || a === 'nil' || a === 'number' || a === 'string') {
            errorf(`non executable command in pipeline stage ${k + 2}`);
          }
        });
        return pipe;
      }
      switch (t2.typ) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          backup();
          pipe.cmds.push(command());
          break;
        case 'keyword':
          if (t2.val === 'nil') {
            backup();
            pipe.cmds.push(command());
            break;
          }
          unexpected(t2, context);
          break;
        default:
          unexpected(t2, context);
      }
    }
  };

  const command = (): Command => {
    const cmd: Command = { t: 'command', pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op) cmd.args.push(op);
      const tok = next();
      if (tok.typ === 'space') continue;
      if (tok.typ === 'rightDelim' || tok.typ === 'rightParen') backup();
      else if (tok.typ !== 'pipe') unexpected(tok, 'operand');
      break;
    }
    if (cmd.args.length === 0) errorf('empty command');
    return cmd;
  };

  const operand = (): Arg | null => {
    let node = term();
    if (!node) return null;
    if (peek().typ === 'field') {
      const fields: string[] = [];
      const pos = peek().pos;
      while (peek().typ === 'field') fields.push(next().val.slice(1));
      switch (node.t) {
        case 'field':
          node = { t: 'field', pos, ident: [...node.ident, ...fields] };
          break;
        case 'variable':
          node = { t: 'variable', pos, ident: [...node.ident, ...fields] };
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          errorf(`unexpected . after term ${quote(nodeString(node))}`);
          break;
        default:
          node = { t: 'chain', pos, node, field: fields };
      }
    }
    return node;
  };

  const term = (): Arg | null => {
    const tok = nextNonSpace();
    switch (tok.typ) {
      case 'identifier':
        if (!hasFunction(tok.val)) errorf(`function ${quote(tok.val)} not defined`);
        return { t: 'identifier', pos: tok.pos, ident: tok.val };
      case 'dot':
        return { t: 'dot', pos: tok.pos };
      case 'keyword':
        if (tok.val === 'nil') return { t: 'nil', pos: tok.pos };
        break;
      case 'variable': {
        const v: VarNode = { t: 'variable', pos: tok.pos, ident: tok.val.split('.') };
        if (!vars.includes(v.ident[0]!)) errorf(`undefined variable ${quote(v.ident[0]!)}`);
        return v;
      }
      case 'field':
        return { t: 'field', pos: tok.pos, ident: tok.val.slice(1).split('.') };
      case 'bool':
        return { t: 'bool', pos: tok.pos, val: tok.val === 'true' };
      case 'charConstant':
      case 'number':
        return newNumber(tok);
      case 'leftParen':
        return pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { t: 'string', pos: tok.pos, quoted: tok.val, text: unquote(tok.val) };
    }
    backup();
    return null;
  };

  const newNumber = (tok: Item): NumberNode => {
    const text = tok.val;
    const n: NumberNode = { t: 'number', pos: tok.pos, text, isInt: false, isFloat: false, int: 0n, float: 0 };
    if (tok.typ === 'charConstant') {
      const s = unquoteGo(`"${text.slice(1, -1).replace(/^\\'$/, "'").replace(/"/g, '\\"')}"`);
      if (s === null || s.length === 0) return errorf(`malformed character constant: ${text}`);
      const r = decodeOne(s);
      n.isInt = true;
      n.isFloat = true;
      n.int = BigInt(r);
      n.float = r;
      return n;
    }
    if (text.endsWith('i')) return errorf(`complex numbers are not supported: ${text}`);
    const clean = text.replace(/_/g, '');
    const intVal = parseGoInt(clean);
    if (intVal !== null) {
      n.isInt = true;
      n.int = intVal;
      n.isFloat = true;
      n.float = Number(intVal);
    } else {
      const f = parseGoFloat(clean);
      if (f === null) return errorf(`illegal number syntax: ${quote(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int = BigInt(f);
      }
    }
    if (!n.isInt && !n.isFloat) errorf(`illegal number syntax: ${quote(text)}`);
    return n;
  };

  // top level
  const mainRoot: List = { t: 'list', pos: peek().pos, nodes: [] };
  while (peek().typ !== 'EOF') {
    if (peek().typ === 'leftDelim') {
      const save = i;
      next();
      const t2 = nextNonSpace();
      if (isKw(t2, 'define')) {
        const nameTok = nextNonSpace();
        if (nameTok.typ !== 'string' && nameTok.typ !== 'rawString') unexpected(nameTok, 'define clause');
        const dname = unquote(nameTok.val);
        expect('rightDelim', 'define clause');
        vars = ['$'];
        const [root, end] = itemList();
        if (end.t !== 'end') errorf(`unexpected ${ctlString(end)} in define clause`);
        addTree(dname, root);
        continue;
      }
      i = save;
    }
    const n = textOrAction();
    if (n.t === 'end' || n.t === 'else') errorf(`unexpected ${ctlString(n)}`);
    else mainRoot.nodes.push(n);
  }
  addTree(name, mainRoot);
  return trees;
}

function isEmptyTree(n: Node): boolean {
  switch (n.t) {
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim() === '' && !/[^ \t\r\n]/.test(n.text);
    case 'comment':
      return true;
    default:
      return false;
  }
}

function decodeOne(s: string): number {
  const c0 = s.charCodeAt(0);
  if (c0 < 0x80) return c0;
  return Buffer.from(s, 'latin1').toString('utf8').codePointAt(0) ?? 0xfffd;
}

/** strconv.ParseInt(s, 0, 64) (base prefixes, sign); null if not an int literal. */
function parseGoInt(s: string): bigint | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  let body = m[2]!;
  let v: bigint;
  if (/^0[oO]/.test(body)) v = BigInt(`0o${body.slice(2)}`);
  else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
  else {
    body = body.replace(/^0X/, '0x').replace(/^0B/, '0b');
    v = BigInt(body);
  }
  if (m[1] === '-') v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

function parseGoFloat(s: string): number | null {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (m) {
    const mant = Number.parseInt(`${m[2] || '0'}${m[3]}`, 16);
    const v = mant * 2 ** (Number(m[4]) - 4 * m[3]!.length);
    return m[1] === '-' ? -v : v;
  }
  return null;
}
