/**
 * Loads the admin configuration directory (`ESO_PLUGIN_CONFIG_DIR`, trusted): `policy.yaml` and
 * admin stores (`stores/*.yaml` and any other top-level `*.yaml`). Any problem here is the admin's to fix and fails every render.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PluginError, PluginErrors } from '../errors/index.js';
import { parseFile } from '../manifest/parse.js';
import { classify } from '../model/index.js';
import type { SecretStore } from '../model/types.js';
import { parsePolicy } from '../policy/parse.js';
import { DEFAULT_POLICY, type Policy } from '../policy/types.js';

export interface AdminConfig {
  readonly policy: Policy;
  readonly stores: SecretStore[];
}

export async function loadAdminConfig(dir: string | undefined): Promise<AdminConfig> {
  if (!dir) return { policy: DEFAULT_POLICY, stores: [] };
  const errors: PluginError[] = [];
  let policy: Policy = DEFAULT_POLICY;
  const policyPath = join(dir, 'policy.yaml');
  const policyText = await readFile(policyPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new PluginError('config', `admin config: cannot read ${policyPath}: ${e.code ?? e.message}`);
  });
  if (policyText !== undefined) {
    let raw: unknown;
    try {
      raw = parse(policyText, { version: '1.1', uniqueKeys: true, maxAliasCount: 100 });
    } catch (e) {
      throw new PluginError('config', `admin config ${policyPath}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    const parsed = parsePolicy(raw);
    for (const e of parsed.errors) {
      errors.push(new PluginError('config', e.message, { origin: { file: policyPath, doc: 1 }, field: e.field, hint: e.hint ?? 'fix the admin policy (see README "Security model")' }));
    }
    if (parsed.policy) policy = parsed.policy;
  }

  // Admin stores: stores/*.yaml, and every other top-level *.yaml (a ConfigMap volume can't hold
  // sub-directories, so the install projects a stores ConfigMap next to policy.yaml).
  const list = async (d: string): Promise<string[]> =>
    (
      await readdir(d).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [] as string[];
        throw new PluginError('config', `admin config: cannot read ${d}: ${e.code ?? e.message}`);
      })
    )
      .filter((n) => /\.(ya?ml|json)$/.test(n) && !n.startsWith('.'))
      .sort()
      .map((n) => join(d, n));
  const storeFiles = [...(await list(dir)).filter((p) => p !== policyPath), ...(await list(join(dir, 'stores')))];
  const stores: SecretStore[] = [];
  for (const path of storeFiles) {
    const bytes = new Uint8Array(await readFile(path));
    try {
      const classified = classify(parseFile({ path, bytes }), 'admin');
      errors.push(...classified.errors.map((e) => new PluginError('config', e.message, { origin: e.origin, field: e.field, hint: e.hint })));
      stores.push(...classified.stores);
      if (classified.externalSecrets.length > 0 || classified.documents.length !== classified.stores.length) {
        errors.push(new PluginError('config', 'admin stores directory may only hold SecretStores and ClusterSecretStores', { origin: { file: path, doc: 1 } }));
      }
    } catch (e) {
      if (e instanceof PluginError) errors.push(new PluginError('config', e.message, { origin: e.origin, field: e.field, hint: e.hint }));
      else throw e;
    }
  }
  if (errors.length) throw new PluginErrors(errors);
  return { policy, stores };
}
