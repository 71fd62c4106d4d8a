/** Policy globs (`payments-*`, `arn:aws:iam::1:role/team-*`): `*` matches any run of characters, nothing else is special. */
export function matchesGlob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\s\\S]*')}$`, 'u');
  return re.test(value);
}

export function matchesAny(patterns: readonly string[] | undefined, value: string): boolean {
  return (patterns ?? []).some((p) => matchesGlob(p, value));
}
