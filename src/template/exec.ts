// Executor for parsed templates, following go/src/text/template/exec.go.
import { sprintValue } from '../go/fmt.js';
import { GoInt, GoObject, type GoValue, isInt, mapElem, sortedKeys, typeName, zeroOf } from '../go/value.js';
import { type CallContext, FuncError, type FuncDef, type FuncTable, type ParamType, goTypeName, nonDeterministicMessage } from './funcs/types.js';
import { type Arg, type Command, type ControlNode, type List, type Node, type NumberNode, type Pipe, type Tree, nodeString } from './parse.js';

export class ExecError extends Error {}

const breakSignal = Symbol('break');
const continueSignal = Symbol('continue');
const MAX_DEPTH = 1000;

/** Sentinel for "no final (piped) value". */
const missing = Symbol('missing');
type Final = GoValue | typeof missing;

/** Go's truth: (truth, ok). */
export function isTrue(v: GoValue): [boolean, boolean] {
  if (v === null) return [false, true];
  switch (typeof v) {
    case 'boolean':
      return [v, true];
    case 'string':
      return [v.length > 0, true];
    case 'bigint':
      return [v !== 0n, true];
    case 'number':
      return [v !== 0, true];
  }
  if (v instanceof GoInt) return [v.v !== 0n, true];
  if (Array.isArray(v)) return [v.length > 0, true];
  if (v instanceof Map) return [v.size > 0, true];
  if (v instanceof GoObject) return [!v.isNil(), true];
  return [true, true];
}

interface Var {
  name: string;
  value: GoValue;
}

export class State {
  private node: Node | Arg | Command | null = null;
  private vars: Var[];
  private out: string[] = [];
  private depth = 0;

  constructor(
    private readonly parseName: string,
    private readonly text: string,
    private tmplName: string,
    private readonly trees: Map<string, Tree>,
    private readonly funcs: FuncTable,
    private readonly missingKeyError: boolean,
    private readonly ctx: CallContext,
    dot: GoValue,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  run(root: List, dot: GoValue): string {
    this.walk(dot, root);
    return this.out.join('');
  }

  errorf(msg: string): never {
    if (this.node === null) throw new ExecError(`template: ${this.tmplName}: ${msg}`);
    const pos = this.node.pos;
    const before = this.text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const col = nl < 0 ? pos : pos - (nl + 1);
    let line = 1;
    for (let k = 0; k < before.length; k++) if (before.charCodeAt(k) === 10) line++;
    throw new ExecError(
      `template: ${this.parseName}:${line}:${col}: executing "${this.tmplName}" at <${nodeString(this.node)}>: ${msg}`,
    );
  }

  private at(n: Node | Arg | Command): void {
    this.node = n;
  }

  private walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.t) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.out.push(val === null ? '<no value>' : typeof val === 'string' ? val : sprintValue(val));
        }
        return;
      }
      case 'break':
        throw breakSignal;
      case 'continue':
        throw continueSignal;
      case 'comment':
        return;
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const val = this.evalPipeline(dot, node.pipe);
        const [truth, ok] = isTrue(val);
        if (!ok) this.errorf(`if/with can't use ${sprintValue(val)}`);
        if (truth) this.walk(node.t === 'with' ? val : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'text':
        this.out.push(node.text);
        return;
    }
  }

  private walkRange(dot: GoValue, r: ControlNode): void {
    this.at(r);
    const mark0 = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const one = (index: GoValue, elem: GoValue): boolean => {
        if (r.pipe.decl.length > 0) this.vars[this.vars.length - 1]!.value = elem;
        if (r.pipe.decl.length > 1) this.vars[this.vars.length - 2]!.value = index;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e === breakSignal) return false;
          if (e !== continueSignal) throw e;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      if (Array.isArray(val)) {
        if (val.length > 0) {
          for (let k = 0; k < val.length; k++) if (!one(BigInt(k), val[k] ?? null)) break;
          return;
        }
      } else if (val instanceof Map) {
        if (val.size > 0) {
          for (const k of sortedKeys(val)) if (!one(k, val.get(k) ?? null)) break;
          return;
        }
      } else if (isInt(val)) {
        // Go 1.22+: range over an integer.
        if (r.pipe.decl.length > 1) this.errorf(`can't use a value of type ${typeName(val)} to iterate over more than one variable`);
        const n = typeof val === 'bigint' ? val : val.v;
        if (n > 0n) {
          for (let k = 0n; k < n; k++) {
            const iv = typeof val === 'bigint' ? k : new GoInt(k, val.type);
            if (r.pipe.decl.length > 0) this.vars[this.vars.length - 1]!.value = iv;
            try {
              this.walk(iv, r.list);
            } catch (e) {
              if (e === breakSignal) break;
              if (e !== continueSignal) throw e;
            } finally {
              this.vars.length = mark;
            }
          }
          return;
        }
      } else if (val !== null) {
        this.errorf(`range can't iterate over value of type ${typeName(val)}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = mark0;
    }
  }

  private walkTemplate(dot: GoValue, t: Extract<Node, { t: 'template' }>): void {
    this.at(t);
    const tree = this.trees.get(t.name);
    if (!tree) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : null;
    const savedVars = this.vars;
    const savedName = this.tmplName;
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = t.name;
    this.depth++;
    try {
      this.walk(newDot, tree.root);
    } finally {
      this.depth--;
      this.vars = savedVars;
      this.tmplName = savedName;
    }
  }

  private evalPipeline(dot: GoValue, pipe: Pipe): GoValue {
    this.at(pipe);
    let value: Final = missing;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const v = value === missing ? null : value;
    for (const variable of pipe.decl) {
      const name = variable.ident[0]!;
      if (pipe.isAssign) {
        let found = false;
        for (let k = this.vars.length - 1; k >= 0; k--) {
          if (this.vars[k]!.name === name) {
            this.vars[k]!.value = v;
            found = true;
            break;
          }
        }
        if (!found) this.errorf(`undefined variable: ${name}`);
      } else this.vars.push({ name, value: v });
    }
    return v;
  }

  private notAFunction(args: Arg[], final: Final): void {
    if (args.length > 1 || final !== missing) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: GoValue, cmd: Command, final: Final): GoValue {
    const first = cmd.args[0]!;
    switch (first.t) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.t) {
      case 'bool':
        return first.val;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n);
    const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.int;
    return this.errorf(`${n.text} overflows int`);
  }

  private evalChain(dot: GoValue, chain: Extract<Arg, { t: 'chain' }>, args: Arg[], final: Final): GoValue {
    this.at(chain);
    if (chain.node.t === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'value', chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariable(dot: GoValue, v: Extract<Arg, { t: 'variable' }>, args: Arg[], final: Final): GoValue {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private varValue(name: string): GoValue {
    for (let k = this.vars.length - 1; k >= 0; k--) if (this.vars[k]!.name === name) return this.vars[k]!.value;
    return this.errorf(`undefined variable: ${name}`);
  }

  private evalFieldChain(_dot: GoValue, receiver: GoValue, node: Arg, ident: string[], args: Arg[], final: Final): GoValue {
    const n = ident.length;
    this.presentNil = false;
    for (let k = 0; k < n - 1; k++) receiver = this.evalField(ident[k]!, node, [], missing, receiver);
    return this.evalField(ident[n - 1]!, node, args, final, receiver);
  }

  /** Set when the last map lookup found the key holding nil (a nil interface, not a missing key). */
  private presentNil = false;

  private evalField(name: string, _node: Arg, args: Arg[], final: Final, receiver: GoValue): GoValue {
    void _node;
    if (receiver === null) {
      // A nil interface from a map element is a nil pointer in Go; an invalid value (missing key) is "nil data".
      if (this.presentNil) this.errorf(`nil pointer evaluating interface {}.${name}`);
      if (this.missingKeyError) this.errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
      return null;
    }
    this.presentNil = false;
    const hasArgs = args.length > 1 || final !== missing;
    if (receiver instanceof Map) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const v = receiver.get(name);
      if (v === undefined) {
        if (this.missingKeyError) this.errorf(`map has no entry for key ${JSON.stringify(name)}`);
        return null;
      }
      if (v === null) this.presentNil = true;
      return v;
    }
    if (receiver instanceof GoObject) {
      const v = receiver.field(name);
      if (v !== undefined) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return v;
      }
    }
    return this.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private evalFunction(dot: GoValue, node: Extract<Arg, { t: 'identifier' }>, cmd: Command | Arg, args: Arg[], final: Final): GoValue {
    this.at(node);
    const name = node.ident;
    const fn = this.funcs.get(name);
    if (!fn) return this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  private evalCall(dot: GoValue, fn: FuncDef, node: Command | Arg, name: string, allArgs: Arg[], final: Final): GoValue {
    const args = allArgs.slice(1);
    const numIn = args.length + (final !== missing ? 1 : 0);
    const numParams = fn.params.length + (fn.variadic ? 1 : 0);
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }
    // and/or evaluate lazily and return the deciding operand.
    if (name === 'and' || name === 'or') {
      let v: GoValue = null;
      for (const a of args) {
        v = this.evalArg(dot, 'value', a);
        if (isTrue(v)[0] === (name === 'or')) return v;
      }
      if (final !== missing) v = final;
      return v;
    }
    const argv: GoValue[] = [];
    let k = 0;
    for (; k < numFixed && k < args.length; k++) argv.push(this.evalArg(dot, fn.params[k]!, args[k]!));
    if (fn.variadic) for (; k < args.length; k++) argv.push(this.evalArg(dot, fn.variadic, args[k]!));
    if (final !== missing) {
      let t: ParamType;
      if (fn.variadic) t = numIn - 1 < numFixed ? fn.params[numIn - 1]! : fn.variadic;
      else t = fn.params[fn.params.length - 1]!;
      argv.push(this.validateType(final, t));
    }
    if (fn.nondeterministic && !this.ctx.allowNonDeterministic) {
      this.at(node);
      this.errorf(`error calling ${name}: ${nonDeterministicMessage(name, fn.nondeterministic)}`);
    }
    if (name === 'call' && args[0]) this.ctx.callee = nodeString(args[0]);
    try {
      return fn.fn(this.ctx, ...argv);
    } catch (e) {
      if (e instanceof ExecError) throw e;
      this.at(node);
      const msg = e instanceof FuncError || e instanceof Error ? e.message : String(e);
      return this.errorf(`error calling ${name}: ${msg}`);
    }
  }

  /** Go's validateType for a computed value. */
  validateType(value: GoValue, typ: ParamType): GoValue {
    if (value === null) {
      if (typ === 'any' || typ === 'value' || typ === 'map' || typ === 'list') return null;
      return this.errorf(`invalid value; expected ${goTypeName[typ]}`);
    }
    if (typ === 'any' || typ === 'value') return value;
    let ok: boolean;
    switch (typ) {
      case 'string':
        ok = typeof value === 'string';
        break;
      case 'int':
        ok = typeof value === 'bigint';
        break;
      case 'int64':
        ok = value instanceof GoInt && value.type === 'int64';
        break;
      case 'uint32':
        ok = value instanceof GoInt && value.type === 'uint32';
        break;
      case 'float64':
        ok = typeof value === 'number';
        break;
      case 'bool':
        ok = typeof value === 'boolean';
        break;
      case 'map':
        ok = value instanceof Map && mapElem(value) === 'interface {}';
        break;
      case 'list':
        ok = Array.isArray(value) && typeName(value) === '[]interface {}';
        break;
      case 'time':
        ok = value instanceof GoObject && value.typeName() === 'time.Time';
        break;
      case 'hashAlgorithm':
        ok = false;
        break;
      case 'certificate':
        ok = value instanceof GoObject && value.typeName() === 'sprig.certificate';
        break;
    }
    if (!ok) this.errorf(`wrong type for value; expected ${goTypeName[typ]}; got ${typeName(value)}`);
    return value;
  }

  private evalArg(dot: GoValue, typ: ParamType, n: Arg): GoValue {
    this.at(n);
    switch (n.t) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any' || typ === 'value' || typ === 'map' || typ === 'list') return null;
        return this.errorf(`cannot assign nil to ${goTypeName[typ]}`);
      case 'field':
        return this.validateType(this.evalFieldChain(dot, dot, n, n.ident, [n], missing), typ);
      case 'variable':
        return this.validateType(this.evalVariable(dot, n, [], missing), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, [n], missing), typ);
      case 'chain':
        return this.validateType(this.evalChain(dot, n, [], missing), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.t === 'bool') return n.val;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.t === 'number' && n.isFloat) return n.float;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.t === 'number' && n.isInt) return n.int;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'int64':
        if (n.t === 'number' && n.isInt) return new GoInt(n.int, 'int64');
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'uint32':
        if (n.t === 'number' && n.isInt && n.int >= 0n) return new GoInt(n.int, 'uint32');
        return this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
      case 'string':
      case 'hashAlgorithm':
        if (n.t === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'any':
      case 'value':
        switch (n.t) {
          case 'bool':
            return n.val;
          case 'number':
            return this.idealConstant(n);
          case 'string':
            return n.text;
        }
    }
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${goTypeName[typ]}`);
  }
}

export { zeroOf };
