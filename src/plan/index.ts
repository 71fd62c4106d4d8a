/**
 * The plan: for every ExternalSecret its effective namespace (design §3) and, for every data /
 * dataFrom item, the store it reads from — looked up, validated by its provider, and checked
 * against the admin policy — plus the distinct remote reads per client, so each remote value is
 * fetched once per render. Pure: no I/O.
 */
import { PluginError } from '../errors/index.js';
import { assertBoundedBacktracking } from '../go/redos.js';
import { matchesAny } from '../policy/glob.js';
import { namespaceDecision, storeDecision } from '../policy/rules.js';
import type { Policy } from '../policy/types.js';
import { getProvider, providerNames } from '../providers/registry.js';
import type { AppInfo, Provider, StoreIdentity } from '../providers/types.js';
import type { ExternalSecret, FakeGenerator, RemoteRef, SecretStore, StoreRef } from '../model/types.js';

/** A store as one client will use it: provider, parsed spec and the namespace its refs resolve in. */
export interface ResolvedStore {
  /** Identifies one client: same store + same referent namespace ⇒ one client, shared by all ExternalSecrets. */
  readonly clientKey: string;
  readonly store: SecretStore;
  readonly provider: Provider;
  readonly spec: unknown;
  readonly namespace: string;
}

export interface PlannedExternalSecret {
  readonly es: ExternalSecret;
  readonly namespace: string;
  /** Store per item field (`spec.data[0]`, `spec.dataFrom[1]`). */
  readonly stores: ReadonlyMap<string, ResolvedStore>;
  /** Fake generator output per dataFrom field. */
  readonly generators: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export interface Plan {
  readonly externalSecrets: readonly PlannedExternalSecret[];
  readonly clients: ReadonlyMap<string, ResolvedStore>;
  /** Distinct single-value reads (data[] and dataFrom.extract) per client: the batch input. */
  readonly reads: ReadonlyMap<string, readonly RemoteRef[]>;
}

export interface PlanInput {
  readonly externalSecrets: readonly ExternalSecret[];
  readonly repoStores: readonly SecretStore[];
  readonly adminStores: readonly SecretStore[];
  readonly generators?: readonly FakeGenerator[];
  readonly policy: Policy;
  readonly app: AppInfo;
}

export interface PlanResult {
  readonly plan: Plan;
  readonly errors: PluginError[];
  readonly warnings: string[];
}

export function planRender(input: PlanInput): PlanResult {
  const { policy, app } = input;
  const errors: PluginError[] = [];
  const warnings: string[] = [];
  const clients = new Map<string, ResolvedStore>();
  const reads = new Map<string, Map<string, RemoteRef>>();
  const parsedStores = new Map<SecretStore, { provider: Provider; spec: unknown; identity: StoreIdentity } | undefined>();

  for (const repo of input.repoStores) {
    const shadowed = input.adminStores.find((a) => a.kind === repo.kind && a.metadata.name === repo.metadata.name);
    if (shadowed) {
      warnings.push(`${repo.origin.file}#${repo.origin.doc}: ${repo.kind} "${repo.metadata.name}" is ignored: an admin store has the same name and always wins`);
    }
  }

  const parseStoreOnce = (store: SecretStore) => {
    if (parsedStores.has(store)) return parsedStores.get(store);
    let result: { provider: Provider; spec: unknown; identity: StoreIdentity } | undefined;
    const provider = getProvider(store.providerName);
    if (!provider) {
      errors.push(
        new PluginError('input', `provider "${store.providerName}" is not supported`, {
          origin: store.origin,
          field: `spec.provider.${store.providerName}`,
          hint: `supported providers: ${providerNames().join(', ')}`,
        }),
      );
    } else {
      const parsed = provider.parseStore(store.providerSpec);
      if (parsed.ok) result = { provider, spec: parsed.spec, identity: provider.identity(parsed.spec) };
      else
        for (const e of parsed.errors) {
          const field = `spec.provider.${store.providerName}${e.field ? `.${e.field}` : ''}`;
          errors.push(new PluginError('input', e.message, { origin: store.origin, field, hint: e.hint }));
        }
    }
    parsedStores.set(store, result);
    return result;
  };

  const planned: PlannedExternalSecret[] = [];
  for (const es of input.externalSecrets) {
    const origin = es.origin;
    const namespace = es.metadata.namespace ?? app.destinationNamespace;
    if (!namespace) {
      errors.push(
        new PluginError('input', 'has no namespace', {
          origin,
          field: 'metadata.namespace',
          hint: "set metadata.namespace, or give the Argo CD Application a destination namespace",
        }),
      );
      continue;
    }
    const nsDecision = namespaceDecision(policy, app.project, app.destinationNamespace, namespace);
    if (!nsDecision.allowed) {
      errors.push(new PluginError('policy', `namespace "${namespace}" is not allowed (policy rule ${nsDecision.rule})`, { origin, field: 'metadata.namespace', hint: nsDecision.hint }));
      continue;
    }
    if (es.target.creationPolicy === 'None') {
      planned.push({ es, namespace, stores: new Map(), generators: new Map() });
      continue;
    }
    const generators = new Map<string, Readonly<Record<string, string>>>();
    for (const item of es.dataFrom) {
      const ref = item.generatorRef;
      if (!ref) continue;
      const field = `${item.field}.sourceRef.generatorRef`;
      if (ref.kind !== 'Fake' || !ref.apiVersion.startsWith('generators.external-secrets.io/')) {
        errors.push(
          new PluginError('input', `${ref.kind} generators are not supported: their values are not reproducible by a renderer`, {
            origin,
            field,
            hint: 'only the Fake generator is rendered; keep other generators for an in-cluster ESO',
          }),
        );
        continue;
      }
      const found = (input.generators ?? []).find((g) => g.metadata.name === ref.name && (g.metadata.namespace ?? app.destinationNamespace) === namespace);
      if (!found) {
        errors.push(new PluginError('input', `could not get Fake generator "${ref.name}" in namespace "${namespace}"`, { origin, field, hint: 'add the generator to the app' }));
        continue;
      }
      generators.set(item.field, found.data);
    }

    const stores = new Map<string, ResolvedStore>();
    const items: Array<{ field: string; ref: StoreRef | undefined; reads: RemoteRef[]; keys: string[] }> = [
      ...es.data.map((d) => ({ field: d.field, ref: d.storeRef ?? es.secretStoreRef, reads: [d.remoteRef], keys: [d.remoteRef.key] })),
      ...es.dataFrom
        .filter((d) => !d.generatorRef)
        .map((d) => ({ field: d.field, ref: d.storeRef ?? es.secretStoreRef, reads: d.extract ? [d.extract] : [], keys: d.extract ? [d.extract.key] : [] })),
    ];
    for (const item of items) {
      if (!item.ref) continue; // reported by the model
      const refField = item.ref === es.secretStoreRef ? 'spec.secretStoreRef' : `${item.field}.sourceRef.storeRef`;
      const store = lookupStore(input, item.ref, namespace);
      if (!store) {
        errors.push(
          new PluginError('input', `could not get ${item.ref.kind} "${item.ref.name}"${item.ref.kind === 'SecretStore' ? ` in namespace "${namespace}"` : ''}`, {
            origin,
            field: refField,
            hint:
              item.ref.kind === 'SecretStore'
                ? `add the SecretStore to the app (same namespace as the ExternalSecret), or use an admin store the policy grants`
                : 'ClusterSecretStores come from the admin config (ESO_PLUGIN_CONFIG_DIR/stores); ask the admin for one',
          }),
        );
        continue;
      }
      const parsed = parseStoreOnce(store);
      if (!parsed) continue;
      const denied = storeDecision(policy, app.project, store, parsed.identity);
      if (!denied.allowed) {
        errors.push(
          new PluginError('policy', `may not use ${store.kind} "${store.metadata.name}" (policy rule ${denied.rule})`, { origin, field: refField, hint: denied.hint }),
        );
        continue;
      }
      const conditionError = checkConditions(store, namespace);
      if (conditionError) {
        errors.push(new PluginError('policy', conditionError.message, { origin, field: refField, hint: conditionError.hint }));
        continue;
      }
      const storeNamespace = store.kind === 'SecretStore' ? (store.metadata.namespace ?? namespace) : namespace;
      const identityError = checkIdentity(parsed.identity, store, storeNamespace, policy);
      if (identityError) {
        errors.push(identityError);
        continue;
      }
      const keys = policy.projects[app.project]?.keys;
      if (keys) {
        const outside = item.keys.find((k) => !matchesAny(keys, k));
        if (outside !== undefined) {
          errors.push(
            new PluginError('policy', `remote key "${outside}" is not allowed for project "${app.project}" (policy rule projects.keys)`, {
              origin,
              field: item.field,
              hint: 'the admin lists the keys each project may read in policy.yaml',
            }),
          );
          continue;
        }
      }
      const clientKey = `${store.source}/${store.kind}/${store.metadata.namespace ?? ''}/${store.metadata.name}@${storeNamespace}`;
      const resolved = clients.get(clientKey) ?? { clientKey, store, provider: parsed.provider, spec: parsed.spec, namespace: storeNamespace };
      clients.set(clientKey, resolved);
      stores.set(item.field, resolved);
      const byKey = reads.get(clientKey) ?? new Map<string, RemoteRef>();
      for (const ref of item.reads) byKey.set(readKey(ref), ref);
      reads.set(clientKey, byKey);
    }
    planned.push({ es, namespace, stores, generators });
  }

  return {
    plan: {
      externalSecrets: planned,
      clients,
      reads: new Map([...reads].map(([k, v]) => [k, [...v.values()]])),
    },
    errors,
    warnings,
  };
}

/** What makes two reads the same remote value (decoding happens after the read, so it is not part of it). */
export function readKey(ref: RemoteRef): string {
  return JSON.stringify([ref.key, ref.property ?? '', ref.version ?? '', ref.metadataPolicy]);
}

function lookupStore(input: PlanInput, ref: StoreRef, namespace: string): SecretStore | undefined {
  const named = (s: SecretStore) => s.kind === ref.kind && s.metadata.name === ref.name;
  const inNamespace = (s: SecretStore) => s.kind === 'ClusterSecretStore' || (s.metadata.namespace ?? input.app.destinationNamespace) === namespace;
  const admin = input.adminStores.find((s) => named(s) && (s.kind === 'ClusterSecretStore' || s.metadata.namespace === undefined || s.metadata.namespace === namespace));
  return admin ?? input.repoStores.find((s) => named(s) && inNamespace(s));
}

/** ClusterSecretStore `spec.conditions` (shouldProcessSecret): any condition matching allows. */
function checkConditions(store: SecretStore, namespace: string): { message: string; hint: string } | undefined {
  if (store.kind !== 'ClusterSecretStore' || store.conditions.length === 0) return undefined;
  if (store.conditions.some((c) => c.hasNamespaceSelector)) {
    return {
      message: `ClusterSecretStore "${store.metadata.name}" uses spec.conditions[].namespaceSelector, which needs the live cluster's namespace labels`,
      hint: 'use conditions[].namespaces or namespaceRegexes instead',
    };
  }
  for (const c of store.conditions) {
    if (c.namespaces.includes(namespace)) return undefined;
    for (const re of c.namespaceRegexes) {
      try {
        // JavaScript syntax for this admin-facing field (RE2's common subset); nested repetition refused.
        assertBoundedBacktracking(re);
        if (new RegExp(re, 'u').test(namespace)) return undefined; // Go MatchString: unanchored
      } catch {
        return { message: `ClusterSecretStore "${store.metadata.name}": invalid namespaceRegexes entry`, hint: 'fix the regular expression' };
      }
    }
  }
  return {
    message: `using cluster store "${store.metadata.name}" is not allowed from namespace "${namespace}": denied by spec.condition`,
    hint: "the store's spec.conditions list the namespaces that may use it",
  };
}

/** ESO: a SecretStore may only name credentials in its own namespace; serviceAccountRef needs the admin map. */
function checkIdentity(identity: StoreIdentity, store: SecretStore, namespace: string, policy: Policy): PluginError | undefined {
  const at = (field: string) => `spec.provider.${store.providerName}.${field}`;
  if (identity.kind === 'secretRef' && store.kind === 'SecretStore') {
    const foreign = identity.refs.find((r) => r.namespace !== undefined && r.namespace !== namespace);
    if (foreign) {
      return new PluginError('policy', `a SecretStore may only use credentials in its own namespace "${namespace}"`, {
        origin: store.origin,
        field: at(`${foreign.field}.namespace`),
        hint: 'remove the namespace, or use a ClusterSecretStore from the admin config',
      });
    }
  }
  if (identity.kind === 'serviceAccount') {
    const saNamespace = identity.ref.namespace ?? namespace;
    if (store.kind === 'SecretStore' && saNamespace !== namespace) {
      return new PluginError('policy', `a SecretStore may only use service accounts in its own namespace "${namespace}"`, {
        origin: store.origin,
        field: at(`${identity.ref.field}.namespace`),
      });
    }
    const mapped = policy.serviceAccounts.some((m) => m.namespace === saNamespace && m.name === identity.ref.name);
    if (!mapped && !policy.singleTenant && store.source === 'repo') {
      return new PluginError('policy', `service account ${saNamespace}/${identity.ref.name} is not mapped to a cloud identity (policy rule serviceAccounts)`, {
        origin: store.origin,
        field: at(identity.ref.field),
        hint: 'the admin maps namespace/serviceAccount to a role or client id in policy.yaml (serviceAccounts)',
      });
    }
  }
  return undefined;
}
