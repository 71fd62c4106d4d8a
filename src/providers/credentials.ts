/**
 * The credentials directory (`ESO_PLUGIN_CREDENTIALS_DIR`, design §4): `<root>/<namespace>/<secret>/<key>`,
 * usually a projected volume of Secrets in Argo's namespace. Kubelet lays such volumes out with
 * `..data` symlinks, which we follow only while they stay under the root. Files are re-read every
 * render (no cache), so rotated credentials apply on the next render.
 */
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { CredentialSource } from './types.js';
import { ProviderError } from './types.js';

/** Upper bound for one credential value, from any source. */
export const MAX_CREDENTIAL_BYTES = 64 * 1024;
/** `ProviderError.code` when a source does not hold the credential (another source may). */
export const CREDENTIAL_NOT_FOUND = 'CredentialNotFound';
/** Names as the API server accepts them: namespace and Secret names (DNS-1123 subdomains), data keys. */
export const CREDENTIAL_SEGMENT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
export const CREDENTIAL_KEY = /^[-._a-zA-Z0-9]+$/;
const SEGMENT = CREDENTIAL_SEGMENT;
const KEY = CREDENTIAL_KEY;

export function credentialsDirectory(root: string | undefined): CredentialSource {
  return {
    async read(namespace, name, key) {
      const what = `credential ${namespace}/${name}/${key}`;
      if (!root) {
        throw new ProviderError(`${what}: no credentials directory is configured`, {
          code: CREDENTIAL_NOT_FOUND,
          hint: 'the admin sets ESO_PLUGIN_CREDENTIALS_DIR on the sidecar and mounts the Secrets there (see argocd/credentials)',
        });
      }
      if (!SEGMENT.test(namespace) || !SEGMENT.test(name) || !KEY.test(key) || key === '.' || key === '..') {
        throw new ProviderError(`${what}: invalid namespace, secret name or key`);
      }
      const rootReal = await realpath(root).catch(() => {
        throw new ProviderError(`${what}: the credentials directory does not exist`);
      });
      let target: string;
      try {
        target = await realpath(join(root, namespace, name, key));
      } catch {
        throw new ProviderError(`${what}: not found in the credentials directory`, {
          code: CREDENTIAL_NOT_FOUND,
          hint: `the admin must project key "${key}" of Secret "${name}" to ${namespace}/${name}/${key} under the credentials directory`,
        });
      }
      const rel = relative(rootReal, target);
      if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
        throw new ProviderError(`${what}: resolves outside the credentials directory`);
      }
      const handle = await open(target, 'r');
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new ProviderError(`${what}: is not a file`);
        if (info.size > MAX_CREDENTIAL_BYTES) throw new ProviderError(`${what}: larger than ${MAX_CREDENTIAL_BYTES} bytes`);
        return new Uint8Array(await handle.readFile());
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * The credential sources of a render, in order: each is tried when the ones before it do not hold
 * the credential (`ProviderError.code === CREDENTIAL_NOT_FOUND`); any other failure stops there, so a
 * refused symlink is never "fixed" by asking the API. `onValue` sees every credential read (the redactor).
 */
export function firstFound(sources: readonly CredentialSource[], onValue: (value: Uint8Array) => void = () => {}): CredentialSource {
  return {
    async read(namespace, name, key) {
      let missed: ProviderError | undefined;
      for (const [i, source] of sources.entries()) {
        try {
          const value = await source.read(namespace, name, key);
          onValue(value);
          return value;
        } catch (e) {
          if (e instanceof ProviderError && e.code === CREDENTIAL_NOT_FOUND && i < sources.length - 1) {
            missed = e;
            continue;
          }
          if (missed && e instanceof ProviderError) {
            // Say why the earlier source did not answer, so the admin knows both were looked at.
            const earlier = missed.message.replace(/^credential \S+: /, '');
            throw new ProviderError(e.message, { code: e.code, hint: [e.hint, `also ${earlier}`].filter(Boolean).join('; ') });
          }
          throw e;
        }
      }
      throw new ProviderError(`credential ${namespace}/${name}/${key}: no credential source is configured`, { code: CREDENTIAL_NOT_FOUND });
    },
  };
}
