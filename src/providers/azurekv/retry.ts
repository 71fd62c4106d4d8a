/**
 * Bounded concurrency and retries for Key Vault calls. The SDK's own retry policy is switched off
 * (maxRetries: 0) because it does not know the render deadline: design §1 — after 3 failed renders
 * Argo serves the cached error for an hour, so transient 429/5xx must be retried inside the render,
 * but never past the deadline.
 */
import { DeadlineError, isRestError } from './errors.js';

import { type Limiter, limiter } from '../limiter.js';

export { type Limiter, limiter };

export interface RetryOptions {
  readonly deadline: number;
  readonly signal: AbortSignal;
  readonly maxAttempts?: number;
  readonly now?: () => number;
  /** Base of the jittered exponential backoff when the server gives no Retry-After. */
  readonly baseDelayMs?: number;
  readonly onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Whether an error is worth another attempt: throttling, server errors, dropped connections. */
export function isTransient(e: unknown): boolean {
  if (!isRestError(e)) return false;
  if (e.statusCode !== undefined) return RETRY_STATUS.has(e.statusCode);
  return e.code === 'REQUEST_SEND_ERROR';
}

/** `Retry-After` (seconds or HTTP date) and Azure's `retry-after-ms` / `x-ms-retry-after-ms`, in ms. */
export function retryAfterMs(e: unknown, now: number): number | undefined {
  if (!isRestError(e) || !e.response) return undefined;
  const h = e.response.headers;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = Number(h.get(name));
    if (h.get(name) !== undefined && Number.isFinite(v) && v >= 0) return v;
  }
  const ra = h.get('retry-after');
  if (ra === undefined) return undefined;
  if (/^\d+$/.test(ra.trim())) return Number(ra.trim()) * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const max = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 200;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isTransient(e) || n >= max) throw e;
      const hinted = retryAfterMs(e, now());
      const delay = hinted ?? Math.min(5000, base * 2 ** (n - 1)) * (0.5 + Math.random() / 2);
      const remaining = options.deadline - now();
      // Keep a little time for the rest of the render after the last attempt.
      if (delay + 250 >= remaining) {
        const status = isRestError(e) ? (e.statusCode ?? e.code) : 'error';
        throw new DeadlineError(
          `HTTP ${status} and the ${hinted !== undefined ? 'Retry-After' : 'backoff'} of ${Math.ceil(delay)} ms does not fit before the render deadline (${Math.max(0, remaining)} ms left, attempt ${n})`,
        );
      }
      options.onRetry?.(n, delay, isRestError(e) ? String(e.statusCode ?? e.code) : 'error');
      await sleep(delay, options.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
