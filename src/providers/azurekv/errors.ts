/**
 * Azure failures → the provider boundary. As ESO's parseError (keyvault.go) and parseNewSDKError
 * (keyvault_new_sdk.go), any 404 from Key Vault is NoSecretError, so deletionPolicy applies.
 * Everything else is a ProviderError naming the vault, the object and Azure's error code.
 * Response bodies are never quoted: the SDK's own parse-error message embeds the raw body, which
 * could be a secret value.
 */
import { NoSecretError, ProviderError } from '../types.js';

/** What a request was about, for messages. */
export interface Subject {
  readonly vault: string;
  /** e.g. `secret "db"`, `key "signing" version 1f2e`, `secrets list`. */
  readonly object: string;
}

/** The shape of @azure/core-rest-pipeline's RestError we rely on (no runtime import: the SDK loads lazily). */
interface RestErrorLike {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly response?: { readonly headers: { get(name: string): string | undefined }; readonly bodyAsText?: string | null };
}

export function isRestError(e: unknown): e is RestErrorLike {
  return e instanceof Error && e.name === 'RestError';
}

/** Our refusal of a token scope that is not the vault's cloud audience (see auth.ts). */
export class ScopeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeRefusedError';
  }
}

/** Thrown by our retry loop when the render deadline leaves no time for another attempt. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

const MAX_AZURE_MESSAGE = 300;

/**
 * Azure's `{"error":{"code","message"}}` body as the SDK surfaces it: `code`, and `message` only
 * when the body had Azure's error shape (Key Vault's own text, e.g. which permission is missing).
 * A non-JSON body leaves the SDK's generic "Unexpected status code" — nothing from the body.
 */
function azureError(e: RestErrorLike): { code: string | undefined; message: string | undefined } {
  if (!e.code || e.code === 'PARSE_ERROR' || e.code === 'REQUEST_SEND_ERROR') return { code: e.code, message: undefined };
  return { code: e.code, message: firstLine(e.message).slice(0, MAX_AZURE_MESSAGE) };
}

/** Key Vault's 404 codes; ESO treats any 404 as "does not exist", so do we. */
export function toProviderError(e: unknown, subject: Subject): Error {
  if (e instanceof NoSecretError || e instanceof ProviderError) return e;
  const where = `Key Vault ${subject.vault}: ${subject.object}`;
  if (e instanceof DeadlineError) return new ProviderError(`${where}: ${e.message}`, { code: 'DeadlineExceeded' });
  if (e instanceof ScopeRefusedError) return new ProviderError(`${where}: ${e.message}`, { code: 'ScopeRefused' });
  if (e instanceof Error && e.name === 'AbortError') {
    return new ProviderError(`${where}: aborted (render deadline or termination)`, { code: 'Aborted' });
  }
  if (e instanceof Error && /challenge resource '.*' does not match the requested domain/.test(e.message)) {
    const resource = /challenge resource '([^']*)'/.exec(e.message)?.[1] ?? '?';
    return new ProviderError(
      `${where}: the vault answered with a bearer challenge for resource ${resource}, which does not match its host; no token was requested`,
      { code: 'ChallengeResourceMismatch', hint: 'challenge resource verification stops a foreign host from obtaining a Key Vault token; check vaultUrl' },
    );
  }
  if (e instanceof Error && /challenge contains invalid scope/.test(e.message)) {
    return new ProviderError(`${where}: the vault's bearer challenge is invalid; no token was requested`, { code: 'InvalidChallenge' });
  }
  const auth = authenticationError(e);
  if (auth) return new ProviderError(`${where}: ${auth.message}`, { code: auth.code, hint: auth.hint });
  if (isRestError(e)) {
    if (e.statusCode === 404) return new NoSecretError();
    if (e.code === 'PARSE_ERROR') {
      return new ProviderError(`${where}: malformed response from Key Vault (HTTP ${e.statusCode ?? '?'})`, { code: 'MalformedResponse' });
    }
    if (e.code === 'REQUEST_SEND_ERROR' || e.statusCode === undefined) {
      return new ProviderError(`${where}: request failed: ${networkReason(e)}`, { code: e.code ?? 'RequestSendError' });
    }
    const { code, message } = azureError(e);
    const hint =
      e.statusCode === 403
        ? 'the identity needs Key Vault Secrets User (secrets) or Key Vault Reader (keys, certificates) on the vault, or an access policy with get (and list for find)'
        : e.statusCode === 401
          ? 'the token was rejected; check the tenant of the identity and of the vault'
          : undefined;
    return new ProviderError(`${where}: HTTP ${e.statusCode}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`, {
      code: code ?? String(e.statusCode),
      hint,
    });
  }
  if (e instanceof Error) return new ProviderError(`${where}: ${e.name}: ${firstLine(e.message)}`);
  return new ProviderError(`${where}: ${String(e)}`);
}

function networkReason(e: RestErrorLike): string {
  // The SDK's message is "<node error message>" — host/port/TLS reasons, no body.
  return firstLine(e.message).slice(0, 200);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, MAX_AZURE_MESSAGE);
}

/**
 * The SDK's own words about a local condition, without what a server sent: MSAL formats server
 * errors as "... Error(s): x - Timestamp: t - Description: <server text> - Correlation ID ...".
 */
function withoutServerText(message: string): string {
  return firstLine(message)
    .replace(/\s*-?\s*Description:.*$/, '')
    .slice(0, 200);
}

/** MSAL's error code at the start of a message (`network_error: ...`), when there is one. */
function msalCode(message: string): string | undefined {
  return /^([a-z_]+):/.exec(message)?.[1];
}

/** Entra error codes users actually hit, in plain words. */
const AADSTS: Readonly<Record<string, string>> = {
  AADSTS7000215: 'invalid client secret (the value, not the secret ID, must be stored)',
  AADSTS7000222: 'the client secret has expired',
  AADSTS700016: 'application (client id) not found in the tenant',
  AADSTS90002: 'tenant not found',
  AADSTS900023: 'the tenant id is malformed',
  AADSTS700027: 'the client certificate assertion was rejected (certificate not registered on the app, or wrong key)',
  AADSTS700024: 'the client assertion is not within its valid time range',
  AADSTS70021: 'no federated credential on the app matches the presented token (issuer/subject/audience)',
  AADSTS700211: 'no federated credential on the app matches the token issuer',
  AADSTS700212: 'no federated credential on the app matches the token audience',
  AADSTS700213: 'no federated credential on the app matches the token subject (the repo-server service account)',
  AADSTS50027: 'the federated token is invalid or expired',
  AADSTS500011: 'the Key Vault resource principal was not found in the tenant',
  AADSTS53003: 'blocked by Conditional Access',
  AADSTS7000112: 'the application is disabled',
  AADSTS50034: 'the user account does not exist in the tenant',
};

interface AuthFailure {
  readonly message: string;
  readonly code: string;
  readonly hint: string | undefined;
}

/**
 * @azure/identity errors: AuthenticationError (token endpoint said no: `errorResponse.error` and
 * an `AADSTSnnnn:` description), CredentialUnavailableError (the flow cannot run here: no IMDS,
 * no token file), AuthenticationRequiredError. Matched by name: the classes live in the lazily loaded SDK.
 */
export function authenticationError(e: unknown): AuthFailure | undefined {
  if (!(e instanceof Error)) return undefined;
  const names = ['AuthenticationError', 'CredentialUnavailableError', 'AuthenticationRequiredError', 'AggregateAuthenticationError'];
  if (!names.includes(e.name)) return undefined;
  const response = (e as { errorResponse?: { error?: unknown; errorDescription?: unknown } }).errorResponse;
  const description = typeof response?.errorDescription === 'string' ? response.errorDescription : e.message;
  const aadsts = /AADSTS\d+/.exec(description)?.[0] ?? /AADSTS\d+/.exec(e.message)?.[0];
  const oauth = typeof response?.error === 'string' ? response.error : undefined;
  const foreignTenant = /not configured to acquire tokens for tenant ([^\s.]+)/.exec(e.message)?.[1];
  if (foreignTenant) {
    // The vault's challenge names its tenant; @azure/identity refuses tenants the credential was not built for.
    return {
      message: `the vault belongs to tenant ${foreignTenant}, not to the tenant of this store's identity; no token was requested`,
      code: 'TenantMismatch',
      hint: "set the store's tenantId to the vault's tenant (a GUID, not a domain name)",
    };
  }
  if (aadsts) {
    const known = AADSTS[aadsts];
    return {
      message: `authentication failed: ${aadsts}${known ? ` ${known}` : ''}${oauth ? ` (${oauth})` : ''}`,
      code: aadsts,
      hint: `see https://login.microsoftonline.com/error?code=${aadsts.slice(6)}`,
    };
  }
  if (e.name === 'CredentialUnavailableError') {
    return {
      message: `credential unavailable: ${withoutServerText(e.message.replace(/^[A-Za-z]+Credential:\s*/, ''))}`,
      code: 'CredentialUnavailable',
      hint: 'the identity this store asks for is not available in the sidecar (managed identity endpoint, federated token file)',
    };
  }
  // Without an AADSTS code the description is not Entra's: show the OAuth error code only.
  return {
    message: `authentication failed${oauth ? ` (${oauth})` : ''}${msalCode(e.message) ? `: ${msalCode(e.message)}` : ''}`,
    code: oauth ?? e.name,
    hint: undefined,
  };
}
