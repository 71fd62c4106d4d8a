/**
 * Providers by `spec.provider` key. The provider modules hold only store parsing and small glue;
 * each loads its SDK with dynamic import() inside newClient, so a render that uses no cloud
 * provider never reads the SDK chunks (cold start).
 */
import { awsProvider } from './aws/index.js';
import { azureKeyVaultProvider } from './azurekv/index.js';
import { fakeProvider } from './fake/index.js';
import type { Provider } from './types.js';

const providers: ReadonlyMap<string, Provider> = new Map<string, Provider>([
  [fakeProvider.name, fakeProvider as Provider],
  [awsProvider.name, awsProvider as Provider],
  [azureKeyVaultProvider.name, azureKeyVaultProvider as Provider],
]);

export function getProvider(name: string): Provider | undefined {
  return providers.get(name);
}

export function providerNames(): string[] {
  return [...providers.keys()].sort();
}
