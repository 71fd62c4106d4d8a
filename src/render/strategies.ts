/**
 * ESO's decoding strategies (runtime/decoding), key validation (esutils.ValidateKeys) and the
 * nullBytePolicy check (eso-semantics.md §2.2, §2.5). Pure.
 */
import { Base64Error, decodeStd, decodeUrl } from '../go/base64.js';
import type { DecodingStrategy } from '../model/types.js';

export class StrategyError extends Error {}

export function decode(strategy: DecodingStrategy, value: Uint8Array): Uint8Array {
  switch (strategy) {
    case 'None':
      return value;
    case 'Base64':
      return decodeStd(value);
    case 'Base64URL':
      return decodeUrl(value);
    case 'Auto':
      // ESO tries Base64, then Base64URL, then keeps the raw value — so plain text such as
      // "test" (valid base64) is decoded: a documented ESO pitfall, reproduced on purpose.
      try {
        return decodeStd(value);
      } catch {
        try {
          return decodeUrl(value);
        } catch {
          return value;
        }
      }
  }
}

/** Decodes one `data[]` value; the message has ESO's shape. */
export function decodeValue(strategy: DecodingStrategy, value: Uint8Array): Uint8Array {
  try {
    return decode(strategy, value);
  } catch (e) {
    if (e instanceof Base64Error) throw new StrategyError(`error applying decoding strategy ${strategy} to data: ${e.message}`);
    throw e;
  }
}

export function decodeMap(strategy: DecodingStrategy, map: ReadonlyMap<string, Uint8Array>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [key, value] of map) {
    try {
      out.set(key, decode(strategy, value));
    } catch (e) {
      if (e instanceof Base64Error) {
        throw new StrategyError(`error applying decoding strategy ${strategy} to data: failure decoding key ${key}: ${e.message}`);
      }
      throw e;
    }
  }
  return out;
}

const ESO_KEY_RUNE = /^[\p{L}\p{N}._-]$/u;
const KUBERNETES_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * esutils.ValidateKeys: empty keys are dropped silently; too long or invalid keys fail with ESO's
 * message. ESO accepts Unicode letters that the API server then rejects; we fail at render time
 * instead of producing a Secret Argo cannot apply. Keys are checked in sorted order (Go's map
 * order is random, so ESO's choice of which bad key to report is not reproducible).
 */
export function validateKeys(map: Map<string, Uint8Array>): void {
  for (const key of [...map.keys()].sort()) {
    if (key.length === 0) {
      map.delete(key);
      continue;
    }
    const length = Buffer.byteLength(key);
    if (length > 253) {
      throw new StrategyError(
        `invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): key has length ${length} but max is 253: (following is truncated): ${key.slice(0, 253)}`,
      );
    }
    for (const ch of key) {
      if (!ESO_KEY_RUNE.test(ch)) {
        throw new StrategyError(
          `invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): key has invalid character ${ch}, only alphanumeric, '-', '.' and '_' are allowed: ${key}`,
        );
      }
    }
    if (!KUBERNETES_KEY.test(key)) {
      throw new StrategyError(
        `invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): key ${key} passes ESO's check but Kubernetes only allows [-._a-zA-Z0-9] in Secret keys`,
      );
    }
  }
}

export function assertNoNullBytes(key: string, value: Uint8Array): void {
  if (value.includes(0)) {
    throw new StrategyError(
      `fetched secret value for key "${key}" contains null bytes; use a text-safe format such as PEM/base64 or leave nullBytePolicy unset for intentional binary data`,
    );
  }
}
