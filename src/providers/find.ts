/**
 * `find.name.regexp` as ESO compiles it (runtime/find: Go RE2, unanchored MatchString).
 * TODO(template merge): route through src/go/regexp.ts once the Go RE2 translator lands.
 */
import { ProviderError } from './types.js';

export interface NameMatcher {
  test(name: string): boolean;
}

export function compileFindRegexp(pattern: string, storeName: string): NameMatcher {
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    throw new ProviderError(`${storeName}: could not compile find.name.regexp [${pattern}]: ${(e as Error).message}`);
  }
}
