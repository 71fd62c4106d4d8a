/**
 * Every AWS request goes through one caller: bounded concurrency, jittered exponential backoff on
 * throttling/5xx/dropped connections, and nothing past the render deadline. The SDK's own retries
 * are off (maxAttempts: 1) so this is the only policy, and request counts are exact.
 * Retrying inside the render matters: after 3 failed renders Argo CD serves the cached error
 * for an hour (design §1). Throttling is therefore retried until the deadline, not a fixed number
 * of times: during a mass hard refresh hundreds of renders share one account's rate, and a render
 * that gives up after 5 throttled attempts fails for nothing (bench/README-aws.md, scenario 4).
 * Other transient errors (5xx, dropped connections) keep the attempt limit.
 */
import { DeadlineError, inspectAwsError, isRetryable, isThrottling, RetriesExhausted } from './errors.js';

export interface RetryOptions {
  readonly signal: AbortSignal;
  /** Epoch ms. */
  readonly deadline: number;
  /** Attempts for 5xx / connection errors (default 5). */
  readonly maxAttempts?: number;
  /** Attempts for throttling (default: unlimited — until the deadline). */
  readonly maxThrottledAttempts?: number;
  readonly baseMs?: number;
  readonly capMs?: number;
  readonly random?: () => number;
}

/** `fn` gets a signal that aborts at the render deadline or when the render is cancelled. */
export type Call = <T>(fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;

import { type Limiter, limiter } from '../limiter.js';

export { type Limiter, limiter };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new DeadlineError('the render was cancelled'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DeadlineError('the render was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export function makeCall(options: RetryOptions, concurrency = 8): Call {
  const limit = limiter(concurrency);
  const maxAttempts = options.maxAttempts ?? 5;
  const maxThrottled = options.maxThrottledAttempts ?? Number.POSITIVE_INFINITY;
  const base = options.baseMs ?? 50;
  const cap = options.capMs ?? 2000;
  const random = options.random ?? Math.random;
  return (fn) =>
    limit(async () => {
      // The last retryable failure: if the deadline ends the retries, it is the cause to report.
      let last: unknown;
      for (let attempt = 1; ; attempt++) {
        const left = options.deadline - Date.now();
        if (options.signal.aborted || left <= 0) {
          throw last !== undefined && !options.signal.aborted ? new RetriesExhausted(last, attempt - 1) : new DeadlineError('the render deadline has passed');
        }
        const signal = AbortSignal.any([options.signal, AbortSignal.timeout(left)]);
        try {
          return await fn(signal);
        } catch (e) {
          // Our own deadline fired (not a server-side timeout): stop, naming the earlier failure if there was one.
          if (signal.aborted) {
            if (last !== undefined && !options.signal.aborted) throw new RetriesExhausted(last, attempt);
            throw new DeadlineError('the render deadline passed while waiting for AWS');
          }
          const info = inspectAwsError(e);
          if (!isRetryable(info) || attempt >= (isThrottling(info) ? maxThrottled : maxAttempts)) throw e;
          last = e;
          // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").
          const delay = Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
          if (Date.now() + delay >= options.deadline) throw new RetriesExhausted(e, attempt);
          await sleep(delay, options.signal);
        }
      }
    });
}
