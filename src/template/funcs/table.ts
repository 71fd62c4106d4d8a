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
let forgeNames: RegExp | undefined;

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

/** Does the template text name a function that needs node-forge? (All of them contain "kcs12"/"KCS12".) */
export function needsForge(src: string): boolean {
  if (!src.includes('kcs12') && !src.includes('KCS12')) return false;
  if (!forgeNames) {
    const names = [...functionTable()].filter(([, d]) => d.needsForge).map(([n]) => n);
    forgeNames = new RegExp(names.sort((a, b) => b.length - a.length).join('|'));
  }
  return forgeNames.test(src);
}

/** Does the template text name a function that needs bcryptjs (`bcrypt`, `htpasswd`)? */
export function needsBcrypt(src: string): boolean {
  return src.includes('bcrypt') || src.includes('htpasswd');
}
