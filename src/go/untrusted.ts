/** Compiles a pattern from an app repo: Go RE2 semantics (src/go/regexp), and bounded backtracking (src/go/redos). */
import { assertBoundedBacktracking } from './redos.js';
import { compile, type GoRegexp } from './regexp.js';

export function compileUntrusted(pattern: string): GoRegexp {
  assertBoundedBacktracking(pattern);
  return compile(pattern);
}
