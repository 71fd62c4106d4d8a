/**
 * Go's regexp (RE2) runs in linear time; JavaScript's RegExp backtracks, and a pattern with nested
 * unbounded repetition such as `(a+)+$` takes exponential time on a near-miss. Patterns from app
 * repos (find.name.regexp, rewrite.regexp) are checked here before they run: a repetition applied to
 * a group that itself repeats without bound is refused. (Overlapping alternatives under a
 * repetition, e.g. `(a|a)*`, are not detected; the render deadline bounds those.)
 */

export class NestedRepetitionError extends Error {}

export function assertBoundedBacktracking(pattern: string): void {
  const stack: boolean[] = [false]; // per open group: does it contain an unbounded repetition?
  let lastGroupRepeats: boolean | undefined; // the group that just closed, if the next token may quantify it
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      lastGroupRepeats = undefined;
      continue;
    }
    if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      lastGroupRepeats = undefined;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      lastGroupRepeats = undefined;
      continue;
    }
    if (c === ')') {
      const inner = stack.length > 1 ? stack.pop()! : false;
      lastGroupRepeats = inner;
      stack[stack.length - 1] ||= inner;
      continue;
    }
    const unbounded = c === '*' || c === '+' || (c === '{' && /^\{\d*,\}/.test(pattern.slice(i)));
    if (unbounded) {
      if (lastGroupRepeats) {
        // The pattern is not quoted: it may come from secret data (Sprig regex functions).
        throw new NestedRepetitionError(
          'error parsing regexp: nested repetition (a repeated group that itself repeats) is not supported by this renderer: it can take exponential time outside RE2; repeat the inner expression only',
        );
      }
      stack[stack.length - 1] = true;
    }
    lastGroupRepeats = undefined;
  }
}
