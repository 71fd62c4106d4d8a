// The limiter, the retry policy and the error classification (pure parts of retry.ts / errors.ts),
// plus concurrency measured on the wire.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeadlineError, inspectAwsError, isRetryable, RetriesExhausted, sanitize } from '../../src/providers/aws/errors.js';
import { limiter, makeCall } from '../../src/providers/aws/retry.js';
import { startAwsServer } from '../support/aws-server.js';
import { harness, newClient, ref, rejection, SM } from './helpers.js';

test('limiter: at most n in flight; a rejection does not stall the queue', async () => {
  const limit = limiter(2);
  let active = 0;
  let peak = 0;
  const task = (fail: boolean) => async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 5));
    active--;
    if (fail) throw new Error('x');
    return 1;
  };
  const results = await Promise.allSettled([true, false, true, false, false, false].map((f) => limit(task(f))));
  assert.is(peak, 2);
  assert.equal(results.map((r) => r.status), ['rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
});

const sdkError = (name: string, status: number, fault: 'client' | 'server' = 'client') => Object.assign(new Error(`${name} happened, request id: abc-123`), { name, $fault: fault, $metadata: { httpStatusCode: status } });

test('classification: throttling, 5xx and socket errors retry; client errors do not; request ids are stripped', () => {
  const cases: Array<[unknown, string, boolean]> = [
    [sdkError('ThrottlingException', 400), 'ThrottlingException', true],
    [sdkError('TooManyRequestsException', 429), 'TooManyRequestsException', true],
    [sdkError('InternalServiceError', 500, 'server'), 'InternalServiceError', true],
    [sdkError('AccessDeniedException', 400), 'AccessDeniedException', false],
    [sdkError('ResourceNotFoundException', 400), 'ResourceNotFoundException', false],
    [Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }), 'ECONNRESET', true],
    [Object.assign(new SyntaxError('Unexpected token < in "<html>SECRET"'), { $metadata: { httpStatusCode: 502 } }), 'HTTP502', true],
    [Object.assign(new SyntaxError('Unexpected end of JSON "SECRET'), { $metadata: { httpStatusCode: 200 } }), 'MalformedResponse', false],
    [new DeadlineError('late'), 'DeadlineExceeded', false],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'DeadlineExceeded', false],
  ];
  for (const [e, code, retry] of cases) {
    const info = inspectAwsError(e);
    assert.is(info.code, code);
    assert.is(isRetryable(info), retry, code);
    assert.not.ok(info.message.includes('SECRET'), info.message);
    assert.not.ok(info.message.includes('abc-123'), info.message);
  }
  assert.is(sanitize('denied, request id: 1234-5678 Credential=AKID/x/y'), 'denied');
});

test('makeCall: retries up to maxAttempts with jittered backoff, then gives the last error', async () => {
  let calls = 0;
  const call = makeCall({ signal: new AbortController().signal, deadline: Date.now() + 5000, maxAttempts: 3, maxThrottledAttempts: 3, baseMs: 1, random: () => 0.5 });
  const e = await rejection(
    call(async () => {
      calls++;
      throw sdkError('ThrottlingException', 400);
    }),
  );
  assert.is(calls, 3);
  assert.is(e.name, 'ThrottlingException');
  calls = 0;
  assert.is(await call(async () => (++calls < 2 ? Promise.reject(sdkError('InternalServiceError', 500, 'server')) : 'ok')), 'ok');
  assert.is(calls, 2);
});

test('makeCall: throttling is retried until the deadline, not 5 times (mass hard refresh); 5xx keeps the limit', async () => {
  let calls = 0;
  const call = makeCall({ signal: new AbortController().signal, deadline: Date.now() + 5000, baseMs: 1, capMs: 2, random: () => 0.5 });
  assert.is(await call(async () => (++calls < 12 ? Promise.reject(sdkError('ThrottlingException', 400)) : 'ok')), 'ok');
  assert.is(calls, 12);
  calls = 0;
  const e = await rejection(
    call(async () => {
      calls++;
      throw sdkError('InternalServiceError', 500, 'server');
    }),
  );
  assert.is(e.name, 'InternalServiceError');
  assert.is(calls, 5);
  calls = 0;
  const late = makeCall({ signal: new AbortController().signal, deadline: Date.now() + 300, baseMs: 20, capMs: 40, random: () => 0.99 });
  const t0 = Date.now();
  const e2 = await rejection(
    late(async () => {
      calls++;
      throw sdkError('ThrottlingException', 400);
    }),
  );
  assert.instance(e2, RetriesExhausted);
  const info = inspectAwsError(e2);
  assert.is(info.code, 'ThrottlingException', 'the cause survives the deadline');
  assert.ok(info.message.includes('when the render deadline came'), info.message);
  assert.not.ok(isRetryable(info));
  // Bounded, not timed: without the deadline this would retry forever (generous for slow CI).
  assert.ok(Date.now() - t0 < 3000, 'gives up at the deadline');
  assert.ok(calls > 5);
});

test('makeCall: an attempt still in flight at the deadline reports the earlier retryable failure, not a bare deadline', async () => {
  // AbortSignal.timeout does not keep the process alive (a real socket would).
  const alive = setTimeout(() => {}, 5000);
  let calls = 0;
  const call = makeCall({ signal: new AbortController().signal, deadline: Date.now() + 150, baseMs: 1, capMs: 1, random: () => 0 });
  const e = await rejection(
    call(async (signal) => {
      if (++calls === 1) throw sdkError('ThrottlingException', 400);
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true }));
    }),
  );
  assert.is(calls, 2);
  assert.is(inspectAwsError(e).code, 'ThrottlingException');
  const first = makeCall({ signal: new AbortController().signal, deadline: Date.now() + 50 });
  const e2 = await rejection(first((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))));
  assert.is(inspectAwsError(e2).code, 'DeadlineExceeded', 'no earlier failure: the deadline is the cause');
  clearTimeout(alive);
});

test('makeCall: a cancelled render stops at once', async () => {
  const controller = new AbortController();
  controller.abort();
  const call = makeCall({ signal: controller.signal, deadline: Date.now() + 5000 });
  assert.instance(await rejection(call(async () => 1)), DeadlineError);
});

test('batches run concurrently: the 3 batches of 60 ids are all in flight at once', async () => {
  const aws = await startAwsServer({ secrets: Array.from({ length: 60 }, (_, i) => ({ name: `s${i}`, string: 'v' })) });
  const h = await harness({ url: aws.url });
  try {
    aws.inject({ action: 'BatchGetSecretValue', latencyMs: 300 });
    const c = await newClient(h, SM);
    await c.prefetch!(Array.from({ length: 60 }, (_, i) => ref(`s${i}`)));
    assert.is(aws.calls('BatchGetSecretValue').length, 3);
    assert.is(aws.maxInFlight, 3);
  } finally {
    await h.cleanup();
    await aws.close();
  }
});

test.run();
