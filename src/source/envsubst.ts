/**
 * Argo CD's `Env.Envsubst` (pkg/apis/application/v1alpha1/types.go): Go's os.Expand over the
 * build env (ARGOCD_APP_* only): `$VAR` and `${VAR}`, `$$` → `$`, unknown variables → empty.
 * Argo applies it to Kustomize images and label values and to Helm parameters and value-file paths.
 */
export function envsubst(s: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '$' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const [name, width] = shellName(s.slice(i + 1));
    if (name === '' && width > 0) {
      // Go: `${}` and `${` with a bad name are dropped; a lone `$` before a non-name is kept.
      i += width;
      continue;
    }
    if (name === '') {
      out += c;
      continue;
    }
    out += name === '$' ? '$' : (env[name] ?? '');
    i += width;
  }
  return out;
}

/** os.getShellName: returns the name and how many bytes it used. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isSpecial(s[1]!) && s[2] === '}') return [s[1]!, 3];
    const end = s.indexOf('}');
    if (end < 0) return ['', 1]; // bad syntax: Go eats "${"
    if (end === 1) return ['', 2];
    return [s.slice(1, end), end + 1];
  }
  if (isSpecial(s[0]!)) return [s[0]!, 1];
  let i = 0;
  while (i < s.length && /[A-Za-z0-9_]/.test(s[i]!)) i++;
  return [s.slice(0, i), i];
}

function isSpecial(c: string): boolean {
  return '*#$@!?-'.includes(c) || /[0-9]/.test(c);
}
