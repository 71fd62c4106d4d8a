/** One template case. Unless `oracle: false`, the expected result comes from test/template/vectors.json (real Go). */
export interface Case {
  name: string;
  template: string;
  data?: Record<string, string>;
  /** Binary data values, base64. */
  dataB64?: Record<string, string>;
  missingKey?: 'error' | 'default';
  /** Custom delimiters (ESO's --template-left/right-delimiter). */
  delims?: [string, string];
  allowNonDeterministic?: boolean;
  /** Hand-written expectation (required when oracle is false). */
  expected?: string;
  expectedB64?: string;
  expectedError?: string;
  /** Substring the error must contain (when the message deliberately differs from Go's). */
  errorContains?: string;
  /** false: not rendered by the oracle (ESO-only function, ESO's sprig/cast/Go version differs, or non-deterministic). */
  oracle?: false;
  /**
   * Also render with the oracle, whose Go re-implementations of some ESO functions (toYaml,
   * fromYaml, filterPEM, certSANs, pkcs12key, rsaDecrypt) run on the same Go libraries as ESO,
   * and require the same output (or, for an error there, an error here too).
   */
  crossCheck?: true;
  /** Why the case is hand-written or deviates. */
  note?: string;
}
