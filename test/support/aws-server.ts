/**
 * A loopback AWS for tests: Secrets Manager and SSM over the JSON 1.1 protocol
 * (`X-Amz-Target`, `application/x-amz-json-1.1`, `{"__type": ..., "message": ...}` errors) and
 * STS AssumeRole / AssumeRoleWithWebIdentity over the query protocol (form body, XML replies).
 * The real SDKs talk to it through `AWS_ENDPOINT_URL`; nothing is stubbed inside a client.
 *
 * Seeded per test; records every request (service, action, params, the access key id from the
 * SigV4 Authorization header) so tests can assert request counts, batching and role chains;
 * faults (latency, throttling, 5xx, malformed bodies, AccessDenied) are injected per action.
 * Signatures are not verified: the recorded access key id is what tests check.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeedSecretVersion {
  readonly id: string;
  readonly stages: readonly string[];
  readonly string?: string;
  readonly binary?: Uint8Array;
}

export interface SeedSecret {
  readonly name: string;
  /** Defaults to `arn:aws:secretsmanager:<region>:111122223333:secret:<name>-AbCdEf`. */
  readonly arn?: string;
  /** Shorthand for one version `v1` staged AWSCURRENT. */
  readonly string?: string;
  readonly binary?: Uint8Array;
  readonly versions?: readonly SeedSecretVersion[];
  readonly tags?: Readonly<Record<string, string>>;
  /** Scheduled for deletion: reads fail with "marked for deletion"; lists skip it. */
  readonly deleted?: boolean;
  /** GetSecretValue is denied (AccessDeniedException); BatchGetSecretValue reports it in Errors. */
  readonly denied?: boolean;
}

export interface SeedParameterVersion {
  readonly value: string;
  readonly labels?: readonly string[];
}

export interface SeedParameter {
  readonly name: string;
  readonly type?: 'String' | 'StringList' | 'SecureString';
  /** Shorthand for a single version. */
  readonly value?: string;
  /** Version n is `versions[n-1]`; the last is current. */
  readonly versions?: readonly SeedParameterVersion[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Seed {
  readonly region?: string;
  readonly secrets?: readonly SeedSecret[];
  readonly parameters?: readonly SeedParameter[];
  /** Roles STS refuses to issue credentials for (AccessDenied). */
  readonly deniedRoles?: readonly string[];
  /** Page sizes, small by default so tests exercise pagination. */
  readonly pageSize?: { readonly listSecrets?: number; readonly batchFilters?: number; readonly ssm?: number };
}

export interface RecordedRequest {
  readonly service: 'secretsmanager' | 'ssm' | 'sts' | 'unknown';
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** From `Authorization: AWS4-HMAC-SHA256 Credential=<id>/...`; undefined for unsigned calls. */
  readonly accessKeyId: string | undefined;
  /** `X-Amz-Security-Token` (temporary credentials); undefined when absent. */
  readonly sessionToken: string | undefined;
}

export interface Fault {
  /** Action name (e.g. `GetSecretValue`, `AssumeRole`); absent = every request. */
  readonly action?: string;
  /** How many matching requests it affects; default: all. */
  times?: number;
  readonly latencyMs?: number;
  /** An AWS error reply. */
  readonly error?: { readonly status: number; readonly type: string; readonly message?: string };
  /** A raw reply body with this status (malformed bodies). */
  readonly raw?: { readonly status: number; readonly body: string };
  /** Drop the connection without a reply. */
  readonly hangUp?: boolean;
}

export interface AwsServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests of one action (and service). */
  calls(action: string): RecordedRequest[];
  /** The most requests that were being handled at the same time (concurrency, without timing). */
  readonly maxInFlight: number;
  inject(fault: Fault): void;
  close(): Promise<void>;
}

class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface SecretState {
  name: string;
  arn: string;
  versions: SeedSecretVersion[];
  tags: Record<string, string>;
  deleted: boolean;
  denied: boolean;
}

interface ParameterState {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  versions: SeedParameterVersion[];
  tags: Record<string, string>;
}

const ACCOUNT = '111122223333';

export async function startAwsServer(seed: Seed = {}): Promise<AwsServer> {
  const region = seed.region ?? 'eu-west-1';
  const secrets: SecretState[] = (seed.secrets ?? []).map((s) => ({
    name: s.name,
    arn: s.arn ?? `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${s.name}-AbCdEf`,
    versions: [
      ...(s.versions ??
        (s.string !== undefined || s.binary !== undefined
          ? [{ id: 'v1', stages: ['AWSCURRENT'], ...(s.string !== undefined ? { string: s.string } : {}), ...(s.binary ? { binary: s.binary } : {}) }]
          : [])),
    ],
    tags: { ...(s.tags ?? {}) },
    deleted: s.deleted ?? false,
    denied: s.denied ?? false,
  }));
  const parameters: ParameterState[] = (seed.parameters ?? []).map((p) => ({
    name: p.name,
    type: p.type ?? 'String',
    versions: [...(p.versions ?? [{ value: p.value ?? '' }])],
    tags: { ...(p.tags ?? {}) },
  }));
  const pageSize = { listSecrets: 2, batchFilters: 2, ssm: 2, ...(seed.pageSize ?? {}) };
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];

  const findSecret = (id: unknown): SecretState => {
    if (typeof id !== 'string' || id === '') throw new AwsError(400, 'InvalidParameterException', 'You must provide a SecretId.');
    // AWS also accepts a partial ARN: the ARN without its random 6-character suffix.
    const s = secrets.find((x) => x.name === id || x.arn === id || (id.startsWith('arn:') && x.arn.length === id.length + 7 && x.arn.startsWith(`${id}-`)));
    if (!s) throw new AwsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return s;
  };
  const readable = (s: SecretState): void => {
    if (s.deleted) {
      throw new AwsError(400, 'InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
    }
    if (s.denied) {
      throw new AwsError(400, 'AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/test is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.name}`);
    }
  };
  const secretValue = (s: SecretState, versionId: unknown, stage: unknown): Record<string, unknown> => {
    readable(s);
    let v: SeedSecretVersion | undefined;
    if (typeof versionId === 'string') {
      v = s.versions.find((x) => x.id === versionId);
      if (v && typeof stage === 'string' && !v.stages.includes(stage)) v = undefined;
    } else {
      const want = typeof stage === 'string' ? stage : 'AWSCURRENT';
      v = s.versions.find((x) => x.stages.includes(want));
    }
    if (!v) throw new AwsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label or version id.");
    return {
      ARN: s.arn,
      Name: s.name,
      VersionId: v.id,
      VersionStages: v.stages,
      CreatedDate: 1_700_000_000,
      ...(v.string !== undefined ? { SecretString: v.string } : {}),
      ...(v.binary ? { SecretBinary: Buffer.from(v.binary).toString('base64') } : {}),
    };
  };
  const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const smFilter = (filters: unknown): ((s: SecretState) => boolean) => {
    const list = Array.isArray(filters) ? (filters as Array<{ Key?: string; Values?: string[] }>) : [];
    return (s) =>
      list.every((f) => {
        const values = f.Values ?? [];
        const hit = (candidates: string[]) => values.some((v) => candidates.some((c) => c.startsWith(v)));
        switch (f.Key) {
          case 'name':
            return hit([s.name]);
          case 'tag-key':
            return hit(Object.keys(s.tags));
          case 'tag-value':
            return hit(Object.values(s.tags));
          case 'all':
            return hit([s.name, ...Object.keys(s.tags), ...Object.values(s.tags)]);
          default:
            throw new AwsError(400, 'InvalidParameterException', `Invalid filter key: ${f.Key}`);
        }
      });
  };
  const page = <T>(items: T[], token: unknown, size: number): { items: T[]; next: string | undefined } => {
    const start = typeof token === 'string' && token !== '' ? Number(Buffer.from(token, 'base64').toString('utf8').replace('page:', '')) : 0;
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw new AwsError(400, 'InvalidNextTokenException', 'The NextToken value is not valid.');
    const end = start + size;
    return { items: items.slice(start, end), next: end < items.length ? Buffer.from(`page:${end}`).toString('base64') : undefined };
  };

  const secretsManager: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    GetSecretValue: (p) => secretValue(findSecret(p.SecretId), p.VersionId, p.VersionStage),
    DescribeSecret: (p) => {
      const s = findSecret(p.SecretId);
      return { ARN: s.arn, Name: s.name, ...(Object.keys(s.tags).length ? { Tags: tagList(s.tags) } : {}) };
    },
    ListSecrets: (p) => {
      const live = secrets.filter((s) => !s.deleted).filter(smFilter(p.Filters));
      const size = typeof p.MaxResults === 'number' ? p.MaxResults : pageSize.listSecrets;
      const { items, next } = page(live, p.NextToken, size);
      return {
        SecretList: items.map((s) => ({ ARN: s.arn, Name: s.name, ...(Object.keys(s.tags).length ? { Tags: tagList(s.tags) } : {}) })),
        ...(next ? { NextToken: next } : {}),
      };
    },
    BatchGetSecretValue: (p) => {
      const ids = p.SecretIdList;
      if (ids !== undefined && p.Filters !== undefined) {
        throw new AwsError(400, 'InvalidParameterException', 'Specify either SecretIdList or Filters, not both.');
      }
      if (Array.isArray(ids)) {
        if (ids.length > 20) {
          throw new AwsError(400, 'ValidationException', "1 validation error detected: Value at 'secretIdList' failed to satisfy constraint: Member must have length less than or equal to 20");
        }
        const values: Record<string, unknown>[] = [];
        const errors: Record<string, unknown>[] = [];
        for (const id of ids) {
          try {
            values.push(secretValue(findSecret(id), undefined, 'AWSCURRENT'));
          } catch (e) {
            if (!(e instanceof AwsError)) throw e;
            errors.push({ SecretId: id, ErrorCode: e.type, Message: e.message });
          }
        }
        return { SecretValues: values, Errors: errors };
      }
      if (!Array.isArray(p.Filters)) throw new AwsError(400, 'InvalidParameterException', 'Specify either SecretIdList or Filters.');
      const matched = secrets.filter((s) => !s.deleted).filter(smFilter(p.Filters));
      const { items, next } = page(matched, p.NextToken, typeof p.MaxResults === 'number' ? p.MaxResults : pageSize.batchFilters);
      const values: Record<string, unknown>[] = [];
      const errors: Record<string, unknown>[] = [];
      for (const s of items) {
        try {
          values.push(secretValue(s, undefined, 'AWSCURRENT'));
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          errors.push({ SecretId: s.name, ErrorCode: e.type, Message: e.message });
        }
      }
      return { SecretValues: values, Errors: errors, ...(next ? { NextToken: next } : {}) };
    },
  };

  /** `name`, `name:3` or `name:label` → the parameter and version, or an error type. */
  const resolveParameter = (raw: string): { p: ParameterState; version: number; selector: string | undefined } | 'ParameterNotFound' | 'ParameterVersionNotFound' => {
    const at = raw.lastIndexOf(':');
    const hasSelector = at > 0 && !raw.startsWith('arn:');
    const name = hasSelector ? raw.slice(0, at) : raw;
    const selector = hasSelector ? raw.slice(at + 1) : undefined;
    const p = parameters.find((x) => x.name === name);
    if (!p) return 'ParameterNotFound';
    if (selector === undefined) return { p, version: p.versions.length, selector };
    if (/^\d+$/.test(selector)) {
      const n = Number(selector);
      return n >= 1 && n <= p.versions.length ? { p, version: n, selector: `:${selector}` } : 'ParameterVersionNotFound';
    }
    const idx = p.versions.findIndex((v) => v.labels?.includes(selector));
    return idx >= 0 ? { p, version: idx + 1, selector: `:${selector}` } : 'ParameterVersionNotFound';
  };
  const parameterOut = (p: ParameterState, version: number, selector: string | undefined, decrypt: boolean): Record<string, unknown> => {
    const v = p.versions[version - 1]!;
    return {
      Name: p.name,
      Type: p.type,
      Value: p.type === 'SecureString' && !decrypt ? 'AQICAHkms-ciphertext' : v.value,
      Version: version,
      ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`,
      DataType: 'text',
      LastModifiedDate: 1_700_000_000,
      ...(selector ? { Selector: selector } : {}),
    };
  };
  const underPath = (name: string, path: string, recursive: boolean): boolean => {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    if (!name.startsWith(prefix)) return false;
    return recursive || !name.slice(prefix.length).includes('/');
  };
  const ssmFilter = (filters: unknown): ((p: ParameterState) => boolean) => {
    const list = Array.isArray(filters) ? (filters as Array<{ Key?: string; Option?: string; Values?: string[] }>) : [];
    return (p) =>
      list.every((f) => {
        const values = f.Values ?? [];
        if (f.Key === 'Path') return values.some((v) => underPath(p.name, v, f.Option === 'Recursive'));
        if (f.Key === 'Name') return values.some((v) => (f.Option === 'BeginsWith' ? p.name.startsWith(v) : p.name === v));
        if (f.Key?.startsWith('tag:')) {
          const tag = p.tags[f.Key.slice(4)];
          return tag !== undefined && (values.length === 0 || values.includes(tag));
        }
        throw new AwsError(400, 'InvalidFilterKey', `The filter key ${f.Key} is not valid.`);
      });
  };

  const ssm: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    GetParameter: (p) => {
      const r = resolveParameter(String(p.Name ?? ''));
      if (typeof r === 'string') throw new AwsError(400, r, r === 'ParameterNotFound' ? '' : `Systems Manager could not find version of parameter ${String(p.Name)}.`);
      return { Parameter: parameterOut(r.p, r.version, r.selector, p.WithDecryption === true) };
    },
    GetParameters: (p) => {
      const names = Array.isArray(p.Names) ? (p.Names as string[]) : [];
      if (names.length === 0 || names.length > 10) {
        throw new AwsError(400, 'ValidationException', "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10");
      }
      const out: Record<string, unknown>[] = [];
      const invalid: string[] = [];
      for (const n of names) {
        const r = resolveParameter(n);
        if (typeof r === 'string') invalid.push(n);
        else out.push(parameterOut(r.p, r.version, r.selector, p.WithDecryption === true));
      }
      return { Parameters: out, InvalidParameters: invalid };
    },
    GetParametersByPath: (p) => {
      const path = String(p.Path ?? '');
      if (!path.startsWith('/')) throw new AwsError(400, 'ValidationException', 'The parameter path must begin with a slash.');
      const matched = parameters.filter((x) => path === '/' ? p.Recursive === true || !x.name.slice(1).includes('/') : underPath(x.name, path, p.Recursive === true));
      const { items, next } = page(matched, p.NextToken, pageSize.ssm);
      return { Parameters: items.map((x) => parameterOut(x, x.versions.length, undefined, p.WithDecryption === true)), ...(next ? { NextToken: next } : {}) };
    },
    DescribeParameters: (p) => {
      const matched = parameters.filter(ssmFilter(p.ParameterFilters));
      const { items, next } = page(matched, p.NextToken, pageSize.ssm);
      return {
        Parameters: items.map((x) => ({ Name: x.name, Type: x.type, Version: x.versions.length, DataType: 'text' })),
        ...(next ? { NextToken: next } : {}),
      };
    },
    ListTagsForResource: (p) => {
      if (p.ResourceType !== 'Parameter') throw new AwsError(400, 'InvalidResourceType', 'The resource type is not valid.');
      const x = parameters.find((y) => y.name === p.ResourceId);
      if (!x) throw new AwsError(400, 'InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.');
      return { TagList: tagList(x.tags) };
    },
  };

  let issued = 0;
  const sts = (action: string, p: Record<string, string>): string => {
    const role = p.RoleArn ?? '';
    if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role)) throw new AwsError(400, 'ValidationError', 'RoleArn is not a valid ARN');
    const session = p.RoleSessionName ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
      throw new AwsError(400, 'ValidationError', "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
    }
    if (p.SourceIdentity !== undefined && !/^[\w+=,.@-]{2,64}$/.test(p.SourceIdentity)) {
      throw new AwsError(400, 'ValidationError', "1 validation error detected: Value at 'sourceIdentity' failed to satisfy constraint");
    }
    if (action === 'AssumeRoleWithWebIdentity' && !p.WebIdentityToken) throw new AwsError(400, 'ValidationError', 'WebIdentityToken is required');
    if (seed.deniedRoles?.includes(role)) {
      throw new AwsError(403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${role}`);
    }
    issued++;
    const roleName = role.slice(role.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9]/g, '');
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    return `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>
    <Credentials>
      <AccessKeyId>ASIA${roleName}</AccessKeyId>
      <SecretAccessKey>secret-${roleName}-${issued}</SecretAccessKey>
      <SessionToken>token-${roleName}-${issued}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROA${roleName}:${session}</AssumedRoleId>
      <Arn>arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}</Arn>
    </AssumedRoleUser>${p.SourceIdentity ? `\n    <SourceIdentity>${p.SourceIdentity}</SourceIdentity>` : ''}
  </${action}Result>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-${String(issued).padStart(12, '0')}</RequestId></ResponseMetadata>
</${action}Response>`;
  };

  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      void handle(req, Buffer.concat(chunks).toString('utf8'), res).finally(() => inFlight--);
    });
  });

  async function handle(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const auth = String(req.headers.authorization ?? '');
    const accessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1];
    let service: RecordedRequest['service'] = 'unknown';
    let action = '';
    let params: Record<string, unknown> = {};
    let form: Record<string, string> = {};
    if (target.startsWith('secretsmanager.')) {
      service = 'secretsmanager';
      action = target.slice('secretsmanager.'.length);
    } else if (target.startsWith('AmazonSSM.')) {
      service = 'ssm';
      action = target.slice('AmazonSSM.'.length);
    } else if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      service = 'sts';
      form = Object.fromEntries(new URLSearchParams(body));
      action = form.Action ?? '';
      params = form;
    }
    if (service === 'secretsmanager' || service === 'ssm') {
      try {
        params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        params = {};
      }
    }
    const token = req.headers['x-amz-security-token'];
    requests.push({ service, action, params, accessKeyId, sessionToken: typeof token === 'string' ? token : undefined });

    const fault = faults.find((f) => (f.action === undefined || f.action === action) && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.hangUp) {
        req.socket.destroy();
        return;
      }
      if (fault.raw) {
        res.writeHead(fault.raw.status, { 'content-type': service === 'sts' ? 'text/xml' : 'application/x-amz-json-1.1' });
        res.end(fault.raw.body);
        return;
      }
      if (fault.error) {
        sendError(res, service, new AwsError(fault.error.status, fault.error.type, fault.error.message ?? fault.error.type));
        return;
      }
    }

    try {
      if (service === 'secretsmanager' || service === 'ssm') {
        const table = service === 'secretsmanager' ? secretsManager : ssm;
        const op = table[action];
        if (!op) throw new AwsError(400, 'UnknownOperationException', `unknown operation ${action}`);
        if (!accessKeyId) throw new AwsError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
        const out = op(params);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' });
        res.end(JSON.stringify(out));
        return;
      }
      if (service === 'sts' && (action === 'AssumeRole' || action === 'AssumeRoleWithWebIdentity')) {
        if (action === 'AssumeRole' && !accessKeyId) throw new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
        const xml = sts(action, form);
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(xml);
        return;
      }
      throw new AwsError(400, 'InvalidAction', `unknown action ${action}`);
    } catch (e) {
      if (e instanceof AwsError) sendError(res, service, e);
      else {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    }
  }

  function sendError(res: ServerResponse, service: RecordedRequest['service'], e: AwsError): void {
    if (service === 'sts') {
      res.writeHead(e.status, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${e.type}</Code><Message>${e.message}</Message></Error><RequestId>err-req-1</RequestId></ErrorResponse>`,
      );
      return;
    }
    res.writeHead(e.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'err-req-1' });
    res.end(JSON.stringify({ __type: e.type, message: e.message }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls: (action) => requests.filter((r) => r.action === action),
    get maxInFlight() {
      return maxInFlight;
    },
    inject: (fault) => {
      faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A seed as stored in `fixtures/aws-*\/seed.json`: the Seed shape, with binary values written as
 * `binaryBase64` (on a secret or a secret version).
 */
export function seedFromJson(json: unknown): Seed {
  const raw = json as { secrets?: Array<Record<string, unknown>>; parameters?: SeedParameter[] } & Omit<Seed, 'secrets' | 'parameters'>;
  const bin = (o: Record<string, unknown>) => {
    const { binaryBase64, ...rest } = o;
    return typeof binaryBase64 === 'string' ? { ...rest, binary: Uint8Array.from(Buffer.from(binaryBase64, 'base64')) } : rest;
  };
  return {
    ...raw,
    secrets: (raw.secrets ?? []).map((s) => {
      const out = bin(s);
      return (Array.isArray(s.versions) ? { ...out, versions: (s.versions as Array<Record<string, unknown>>).map(bin) } : out) as unknown as SeedSecret;
    }),
    parameters: raw.parameters ?? [],
  };
}
