/**
 * AWS errors as the render sees them. ESO (providers/v1/aws/util/errors.go SanitizeErr) strips
 * request ids and `Credential=` fragments and otherwise surfaces the SDK's text; we do the same
 * for service errors (AWS's own messages name resources, never values), but for anything that is
 * not a parsed service error (a malformed body, a socket error) only the error's name is kept:
 * the SDK may quote the raw response body in those messages, and a body can hold a value.
 */
import { NoSecretError, ProviderError } from '../types.js';

export interface AwsErrorInfo {
  /** AWS error code (`ResourceNotFoundException`, `ThrottlingException`, ...) or a local class. */
  readonly code: string;
  /** Safe text: sanitised service message, or a fixed description. */
  readonly message: string;
  readonly status: number | undefined;
  /** A parsed AWS error reply (as opposed to a transport or parse failure). */
  readonly service: boolean;
  /** Retried until the render deadline left no room for another attempt. */
  readonly exhausted?: boolean;
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
}

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

const REQUEST_ID = [/,?\s*request id:\s*\S+/gi, /\s*RequestId:\s*\S+/g, / Credential=.+/g];

export function sanitize(message: string): string {
  let out = message;
  for (const re of REQUEST_ID) out = out.replace(re, '');
  return out.trim();
}

/** A local failure that is not worth retrying and needs no AWS code. */
export class DeadlineError extends Error {}

/**
 * A retryable failure that was still happening when the deadline left no room for another
 * attempt. It keeps the AWS error (so the code says *why*: ThrottlingException, 503...) rather
 * than turning into a bare DeadlineExceeded, which would hide the cause.
 */
export class RetriesExhausted extends Error {
  constructor(
    readonly last: unknown,
    readonly attempts: number,
  ) {
    super(`gave up after ${attempts} attempts`);
    this.name = 'RetriesExhausted';
  }
}

export function inspectAwsError(e: unknown): AwsErrorInfo {
  if (e instanceof DeadlineError) return { code: 'DeadlineExceeded', message: e.message, status: undefined, service: false };
  if (e instanceof RetriesExhausted) {
    const info = inspectAwsError(e.last);
    const note = `still failing after ${e.attempts} attempts when the render deadline came`;
    return { ...info, message: info.message ? `${info.message} (${note})` : note, exhausted: true };
  }
  if (typeof e !== 'object' || e === null) return { code: 'Unknown', message: 'unknown error', status: undefined, service: false };
  const err = e as SdkErrorShape;
  const name = typeof err.name === 'string' ? err.name : 'Error';
  const status =
    typeof err.$metadata?.httpStatusCode === 'number'
      ? err.$metadata.httpStatusCode
      : typeof err.$response?.statusCode === 'number'
        ? err.$response.statusCode
        : undefined;
  // The SDK names a socket hang-up "TimeoutError" but keeps the errno in `code`.
  if (typeof err.code === 'string' && NETWORK.has(err.code)) {
    return { code: err.code, message: 'the connection to AWS failed', status, service: false };
  }
  if (name === 'AbortError') return { code: 'DeadlineExceeded', message: 'the request was cancelled at the render deadline', status, service: false };
  const unparsed = name === 'SyntaxError' || /deserializ|parse error|not valid JSON/i.test(String(err.message));
  // A service error is one the SDK parsed from an AWS error reply: it carries $fault.
  if ((err.$fault === 'client' || err.$fault === 'server') && !unparsed) {
    const message = typeof err.message === 'string' ? sanitize(err.message) : '';
    return { code: name, message: message === name ? '' : message, status, service: true };
  }
  if (status !== undefined && (status < 200 || status >= 300)) {
    return { code: `HTTP${status}`, message: 'AWS answered with an unexpected reply', status, service: false };
  }
  if (unparsed) return { code: 'MalformedResponse', message: 'the response could not be parsed', status, service: false };
  return { code: name, message: 'the request failed', status, service: false };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);
const TRANSIENT = new Set(['InternalServiceError', 'InternalServiceErrorException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'RequestTimeout', 'RequestTimeoutException']);

export const isThrottling = (info: AwsErrorInfo): boolean => THROTTLING.has(info.code) || info.status === 429;

/** Throttling, 5xx and dropped connections are retried (within the deadline); everything else fails at once. */
export function isRetryable(info: AwsErrorInfo): boolean {
  if (info.code === 'DeadlineExceeded' || info.exhausted) return false;
  if (THROTTLING.has(info.code) || TRANSIENT.has(info.code) || NETWORK.has(info.code)) return true;
  if (info.status !== undefined && (info.status >= 500 || info.status === 429)) return true;
  return false;
}

export const isAccessDenied = (info: AwsErrorInfo): boolean => info.code === 'AccessDeniedException' || info.code === 'AccessDenied';

/** `ClusterSecretStore "aws"` / `SecretStore "team/aws"`. */
export function storeLabel(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} "${namespace ? `${namespace}/` : ''}${name}"`;
}

/** The one shape of an AWS failure: store, operation, key, AWS code, sanitised AWS message. */
export function awsProviderError(store: string, operation: string, key: string, e: unknown): ProviderError {
  if (e instanceof ProviderError || e instanceof NoSecretError) return e as ProviderError;
  const info = inspectAwsError(e);
  const detail = info.message ? `: ${info.message}` : '';
  return new ProviderError(`${store}: ${operation} ${JSON.stringify(key)} failed: ${info.code}${detail}`, {
    code: info.code,
    hint: hintFor(info),
  });
}

function hintFor(info: AwsErrorInfo): string | undefined {
  if (isAccessDenied(info)) return 'the identity this store uses lacks the IAM permission (see docs/aws.md, least-privilege IAM)';
  if (info.code === 'DeadlineExceeded') return 'AWS did not answer before the render deadline (ESO_PLUGIN_DEADLINE)';
  if (info.exhausted && isThrottling(info)) {
    return 'AWS throttled every attempt until the render deadline: too many renders share this account\'s request rate; retry the sync, or raise ESO_PLUGIN_DEADLINE (see docs/aws.md)';
  }
  if (info.exhausted) return 'AWS kept failing with a transient error until the render deadline; retry the sync';
  if (info.code === 'UnrecognizedClientException' || info.code === 'InvalidClientTokenId' || info.code === 'ExpiredTokenException') {
    return 'the credentials were rejected; check the access keys or the role chain';
  }
  return undefined;
}
