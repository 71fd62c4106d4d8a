// The ExternalSecrets scenario 2 renders for both providers: even ones read `property: password`
// of a JSON secret through `data`, odd ones `dataFrom.extract` the whole secret.

export interface BenchRef {
  readonly key: string;
  readonly property: string | undefined;
}

export function alternatingExternalSecret(k: number, key: string, store: string): { doc: string; ref: BenchRef } {
  const head = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: es-${k}}
spec:
  secretStoreRef: {name: ${store}, kind: ClusterSecretStore}
  target: {name: secret-${k}}
`;
  if (k % 2 === 0) {
    return { doc: `${head}  data:\n    - secretKey: password\n      remoteRef: {key: ${key}, property: password}\n`, ref: { key, property: 'password' } };
  }
  return { doc: `${head}  dataFrom:\n    - extract: {key: ${key}}\n`, ref: { key, property: undefined } };
}
