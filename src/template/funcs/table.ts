// The complete function map: text/template builtins, overridden by ESO's Sprig copy
// (as Go's findFunction prefers FuncMap entries), plus ESO's own functions.
import { builtinFuncs } from './builtins.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs } from './date.js';
import { esoFuncs } from './eso.js';
import { semverFuncs } from './semver.js';
import { sprigFuncs } from './sprig.js';
import type { FuncTable } from './types.js';

let table: FuncTable | undefined;

/** Built on first use (not at import) and then reused: the table is never mutated. */
export function functionTable(): FuncTable {
  if (!table) {
    const t = builtinFuncs();
    sprigFuncs(t);
    cryptoFuncs(t);
    dateFuncs(t);
    semverFuncs(t);
    esoFuncs(t);
    table = t;
  }
  return table;
}
