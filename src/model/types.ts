/**
 * The internal shape of ESO resources, one for `external-secrets.io/v1` and `v1beta1`
 * (their schemas are identical apart from v1-only fields; eso-semantics.md §1.1).
 * CRD defaults are applied during validation, so downstream code never sees an absent default.
 * Field names follow ESO's API so this file can be read next to ESO's docs.
 */
import type { Origin } from '../errors/index.js';

export type StoreKind = 'SecretStore' | 'ClusterSecretStore';
export type CreationPolicy = 'Owner' | 'Orphan' | 'Merge' | 'None' | 'CreateOrMerge';
export type DeletionPolicy = 'Retain' | 'Delete' | 'Merge';
export type MetadataPolicy = 'None' | 'Fetch';
export type ConversionStrategy = 'Default' | 'Unicode';
export type DecodingStrategy = 'None' | 'Base64' | 'Base64URL' | 'Auto';
export type NullBytePolicy = 'Ignore' | 'Fail';
export type RefreshPolicy = 'Periodic' | 'OnChange' | 'CreatedOnce';

export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface StoreRef {
  readonly name: string;
  readonly kind: StoreKind;
}

/** `spec.data[].remoteRef` and `spec.dataFrom[].extract`. */
export interface RemoteRef {
  readonly key: string;
  readonly property: string | undefined;
  readonly version: string | undefined;
  readonly metadataPolicy: MetadataPolicy;
  readonly conversionStrategy: ConversionStrategy;
  readonly decodingStrategy: DecodingStrategy;
  readonly nullBytePolicy: NullBytePolicy;
}

/** `spec.dataFrom[].find`. */
export interface FindRef {
  readonly path: string | undefined;
  readonly name: { readonly regexp: string } | undefined;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly conversionStrategy: ConversionStrategy;
  readonly decodingStrategy: DecodingStrategy;
  readonly nullBytePolicy: NullBytePolicy;
}

export type Rewrite =
  | { readonly regexp: { readonly source: string; readonly target: string } }
  | { readonly transform: { readonly template: string } }
  | {
      readonly merge: {
        readonly into: string;
        readonly priority: readonly string[];
        readonly priorityPolicy: 'Strict' | 'IgnoreNotFound';
        readonly conflictPolicy: 'Error' | 'Ignore';
        readonly strategy: 'Extract' | 'JSON';
      };
    };

export interface GeneratorRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

export interface DataItem {
  readonly secretKey: string;
  readonly remoteRef: RemoteRef;
  readonly storeRef: StoreRef | undefined;
  /** Field path of this item for errors, e.g. `spec.data[2]`. */
  readonly field: string;
}

export interface DataFromItem {
  readonly extract: RemoteRef | undefined;
  readonly find: FindRef | undefined;
  readonly generatorRef: GeneratorRef | undefined;
  readonly storeRef: StoreRef | undefined;
  readonly rewrite: readonly Rewrite[];
  readonly field: string;
}

export interface TemplateFromItem {
  readonly configMap: { readonly name: string; readonly items: readonly TemplateFromKey[] } | undefined;
  readonly secret: { readonly name: string; readonly items: readonly TemplateFromKey[] } | undefined;
  readonly literal: string | undefined;
  readonly target: 'Data' | 'Annotations' | 'Labels';
  readonly valuesDecodingStrategy: DecodingStrategy;
}

export interface TemplateFromKey {
  readonly key: string;
  readonly templateAs: 'Values' | 'KeysAndValues';
}

export interface SecretTemplate {
  readonly type: string | undefined;
  readonly engineVersion: 'v2';
  readonly mergePolicy: 'Replace' | 'Merge';
  readonly metadata: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    readonly finalizers: readonly string[];
  };
  readonly data: Readonly<Record<string, string>>;
  readonly templateFrom: readonly TemplateFromItem[];
}

export interface Target {
  readonly name: string;
  readonly creationPolicy: CreationPolicy;
  readonly deletionPolicy: DeletionPolicy;
  readonly immutable: boolean;
  readonly template: SecretTemplate | undefined;
}

export interface ExternalSecret {
  readonly kind: 'ExternalSecret';
  readonly apiVersion: string;
  readonly origin: Origin;
  readonly metadata: ObjectMeta;
  readonly secretStoreRef: StoreRef | undefined;
  readonly target: Target;
  readonly refreshPolicy: RefreshPolicy;
  readonly data: readonly DataItem[];
  readonly dataFrom: readonly DataFromItem[];
}

export interface ClusterStoreCondition {
  readonly namespaces: readonly string[];
  readonly namespaceRegexes: readonly string[];
  /** Label selectors need the live cluster's namespace labels; the plan refuses them clearly. */
  readonly hasNamespaceSelector: boolean;
}

/** Where a store definition came from: the app's repo (tenant input) or the admin config (trusted). */
export type StoreSource = 'repo' | 'admin';

export interface SecretStore {
  readonly kind: StoreKind;
  readonly apiVersion: string;
  readonly origin: Origin;
  readonly source: StoreSource;
  readonly metadata: ObjectMeta;
  readonly controller: string | undefined;
  /** The single key under `spec.provider`, e.g. `aws`, `azurekv`, `fake`. */
  readonly providerName: string;
  /** The raw provider block; validated by that provider's `parseStore`. */
  readonly providerSpec: unknown;
  readonly conditions: readonly ClusterStoreCondition[];
}

/** Every other document: passed through unchanged. */
export interface PassThrough {
  readonly kind: 'PassThrough';
  readonly origin: Origin;
  readonly value: Record<string, unknown>;
  /** Verbatim source text, printed as written; undefined for List items and JSON files. */
  readonly text: string | undefined;
}

/** A `generators.external-secrets.io` Fake generator: the only generator whose output is reproducible. */
export interface FakeGenerator {
  readonly kind: 'Fake';
  readonly origin: Origin;
  readonly metadata: ObjectMeta;
  readonly data: Readonly<Record<string, string>>;
}
