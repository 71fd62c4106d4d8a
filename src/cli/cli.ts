/**
 * argocd-eso-plugin — the CLI Argo CD's cmp-server runs (entries: main.ts, snapshot.ts). Fails
 * closed: on any error nothing is written to stdout (Argo would prune everything on an empty
 * success), the problems go to stderr through the redactor, and the exit status is non-zero (2 for
 * usage errors).
 */
import { formatError, PluginError, toPluginErrors } from '../errors/index.js';
import { adminSettings } from './inputs.js';
import { Redactor } from './redact.js';
import { check, discover, generate, type RunOptions } from './run.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const HELP = `argocd-eso-plugin ${VERSION}
Renders External Secrets Operator ExternalSecrets into Kubernetes Secrets for Argo CD.

Usage:
  argocd-eso-plugin generate [DIR]   print the app's manifests with ExternalSecrets replaced by Secrets
  argocd-eso-plugin check [DIR]      validate ExternalSecrets and stores without contacting any provider
  argocd-eso-plugin discover [DIR]   print a line and exit 0 when DIR holds ExternalSecrets
  argocd-eso-plugin --help | --version

DIR defaults to the current directory (Argo CD runs the plugin in the app's path).
A directory with kustomization.yaml is rendered with kustomize, one with Chart.yaml with helm
template, as Argo CD detects them; then ExternalSecrets are replaced by Secrets.

Options (generate, check, discover):
  --recurse            include sub-directories (app parameter: recurse)
  --include GLOB       only files matching GLOB, relative to DIR (app parameter: include)
  --exclude GLOB       skip files matching GLOB (app parameter: exclude)

App parameters (Application spec.source.plugin.parameters): recurse, include, exclude,
allow-created-once, source-type, kustomize-*, helm-* (see the README).

Admin settings come only from the sidecar's environment: ESO_PLUGIN_CONFIG_DIR,
ESO_PLUGIN_CREDENTIALS_DIR, ESO_PLUGIN_DEADLINE (seconds, default 45), ESO_PLUGIN_DEBUG,
ESO_PLUGIN_ALLOW_NETWORK, ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS, ESO_PLUGIN_KUSTOMIZE_BINARY,
ESO_PLUGIN_HELM_BINARY, ESO_PLUGIN_CACHE (on|off, default on), ESO_PLUGIN_CACHE_DIR,
ESO_PLUGIN_AWS_SESSION_SCOPE (app|project, default app).
`;

interface Parsed {
  command: 'generate' | 'check' | 'discover' | 'help' | 'version';
  dir: string;
  flags: RunOptions['flags'];
}

function parseArgs(argv: readonly string[]): Parsed {
  const flags: { recurse?: boolean; include?: string; exclude?: string } = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new PluginError('usage', `${arg} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') return { command: 'help', dir: '.', flags };
    if (arg === '--version' || arg === '-v') return { command: 'version', dir: '.', flags };
    if (arg === '--recurse') flags.recurse = true;
    else if (arg === '--include') flags.include = value();
    else if (arg.startsWith('--include=')) flags.include = arg.slice(10);
    else if (arg === '--exclude') flags.exclude = value();
    else if (arg.startsWith('--exclude=')) flags.exclude = arg.slice(10);
    else if (arg.startsWith('-')) throw new PluginError('usage', `unknown option ${arg}`, { hint: 'see argocd-eso-plugin --help' });
    else positional.push(arg);
  }
  const [command, dir, ...rest] = positional;
  if (command === undefined) throw new PluginError('usage', 'missing command', { hint: 'see argocd-eso-plugin --help' });
  if (command !== 'generate' && command !== 'check' && command !== 'discover') {
    throw new PluginError('usage', `unknown command ${command}`, { hint: 'commands: generate, check, discover' });
  }
  if (rest.length) throw new PluginError('usage', `unexpected argument ${rest[0]}`);
  return { command, dir: dir ?? '.', flags };
}

async function main(argv: readonly string[], start: Start): Promise<number> {
  const redactor = new Redactor();
  const stderr = (line: string) => process.stderr.write(`${redactor.scrub(line)}\n`);
  const controller = new AbortController();
  let exitCode = 0;
  let failure: PluginError | undefined;

  const onSignal = (signal: string) => {
    failure ??= new PluginError('deadline', `terminated by ${signal} before the render finished; nothing was printed`, {
      hint: "Argo CD's repo-server timeout (controller.repo.server.timeout.seconds) may be too short for this app",
    });
    controller.abort();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));

  let debugEnabled = false;
  try {
    const parsed = parseArgs(argv);
    if (parsed.command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (parsed.command === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const settings = adminSettings(process.env);
    debugEnabled = settings.debug;
    const opts: RunOptions = {
      dir: parsed.dir,
      env: process.env,
      flags: parsed.flags,
      redactor,
      signal: controller.signal,
      warn: (m) => stderr(`warning: ${m}`),
      debug: (m) => {
        if (debugEnabled) stderr(`debug: ${m}`);
      },
    };
    opts.debug(`argocd-eso-plugin ${VERSION} on Node ${process.version}, started from ${start === 'snapshot' ? 'the V8 startup snapshot' : 'its bundle'}`);
    const work = (async (): Promise<string> => {
      if (parsed.command === 'generate') return generate(opts);
      if (parsed.command === 'check') {
        const r = await check(opts);
        return `ok: ${r.externalSecrets} ExternalSecret(s), ${r.stores} store(s)\n`;
      }
      return (await discover(opts)) ? 'ExternalSecrets found\n' : '';
    })();
    const deadlineMs = settings.deadlineSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        failure ??= new PluginError('deadline', `the render did not finish within ${settings.deadlineSeconds} s (ESO_PLUGIN_DEADLINE); nothing was printed`, {
          hint: 'a provider may be slow or unreachable; ESO_PLUGIN_DEBUG=true on the sidecar shows where the time goes',
        });
        controller.abort();
      }, deadlineMs);
      timer.unref();
      controller.signal.addEventListener('abort', () => reject(failure), { once: true });
    });
    const output = await Promise.race([work, deadline]);
    clearTimeout(timer);
    if (failure) throw failure;
    await new Promise<void>((res, rej) => process.stdout.write(output, (e) => (e ? rej(e) : res())));
    return 0;
  } catch (thrown) {
    const errors = toPluginErrors(failure ?? thrown);
    for (const e of errors) stderr(`error: ${formatError(e)}`);
    if (errors.length > 1) stderr(`${errors.length} problems; nothing was printed`);
    if (debugEnabled && !(thrown instanceof PluginError) && thrown instanceof Error && thrown.stack) stderr(thrown.stack);
    exitCode = errors.every((e) => e.kind === 'usage') ? 2 : 1;
    return exitCode;
  }
}

/** How the process started: `node dist/cli.mjs`, or from dist/cli.blob (snapshot.ts). */
export type Start = 'bundle' | 'snapshot';

/** Runs one command (`argv` without node and script) and exits the process with its status. */
export function runCli(argv: readonly string[], start: Start): void {
  main(argv, start).then(
    (code) => process.exit(code),
    // Last resort: never exit non-zero without saying so (and never print what failed: it may hold a value).
    () => {
      process.stderr.write('error: argocd-eso-plugin failed while reporting an error; nothing was printed\n');
      process.exit(1);
    },
  );
}
