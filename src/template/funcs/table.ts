// The complete function map: text/template builtins, overridden by ESO's Sprig copy
// (as Go's findFunction prefers FuncMap entries), plus ESO's own functions.
import { builtinFuncs } from './builtins.js';
import type { FuncTable } from './types.js';

let table: FuncTable | undefined;

/** Built on first use (not at import) and then reused: the table is never mutated. */
export function functionTable(): FuncTable {
  if (!table) {
    const t = builtinFuncs();
    table = t;
  }
  return table;
}
