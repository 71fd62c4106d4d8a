/** Builds throwaway app repos from inline files, for tests of one behaviour each. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './plugin.js';

export const CANARY = 'CANARY-7f3a9c-do-not-leak';

/** A fake-provider SecretStore holding `entries` (key → value). */
export function fakeStore(entries: Record<string, string>, name = 'fake'): string {
  const data = Object.entries(entries)
    .map(([key, value]) => `        - key: ${JSON.stringify(key)}\n          value: ${JSON.stringify(value)}`)
    .join('\n');
  return `apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: ${name}
spec:
  provider:
    fake:
      data:
${data}
`;
}

/** Writes `files` (path → content) into a new repo dir; returns {repo, app} (app = repo/apps/app). */
export function makeApp(files: Record<string, string>): { repo: string; app: string } {
  const repo = tempDir('eso-app-');
  mkdirSync(join(repo, '.git'));
  const app = join(repo, 'apps', 'app');
  mkdirSync(app, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const full = join(app, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { repo, app };
}

export function externalSecret(spec: string, name = 'es', extraMeta = ''): string {
  return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: ${name}${extraMeta}
spec:
${spec}`;
}
