/**
 * `find.name.regexp` as ESO compiles it (runtime/find): Go RE2, unanchored MatchString. Patterns
 * JavaScript cannot run the same way, or could run in exponential time, are refused.
 */
import { compileUntrusted } from '../go/untrusted.js';
import { ProviderError } from './types.js';

export interface NameMatcher {
  test(name: string): boolean;
}

export function compileFindRegexp(pattern: string, storeName: string): NameMatcher {
  try {
    const { re } = compileUntrusted(pattern);
    const unanchored = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
    return { test: (name) => unanchored.test(name) };
  } catch (e) {
    throw new ProviderError(`${storeName}: could not compile find.name.regexp [${pattern}]: ${(e as Error).message}`);
  }
}
