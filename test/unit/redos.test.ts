import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertBoundedBacktracking } from '../../src/go/redos.js';

const Redos = suite('patterns from repos cannot backtrack exponentially');

Redos('nested unbounded repetition is refused', () => {
  for (const p of ['(a+)+', '(a*)*', '(x|y+)+$', '((ab)*c)*', '(a+){2,}', '(?:a+)+']) {
    assert.throws(() => assertBoundedBacktracking(p), /nested repetition/, p);
  }
});

Redos('ordinary patterns pass', () => {
  for (const p of ['^prod/(.*)$', '(foo|bar)+', 'a+b*c?', '[(+)]+', '\\(a+\\)+', '(ab){2}', '(a+)?', '^db-[a-z]+$']) {
    assertBoundedBacktracking(p);
  }
});

Redos.run();
