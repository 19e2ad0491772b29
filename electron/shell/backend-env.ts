// The environment main hands the backend's utility process. Settings travel as variables (the
// same names `npm run serve` reads); variables that could inject code into it are dropped.

export const ENV = {
  dataDir: 'YBJS_DATA_DIR', port: 'YBJS_PORT', token: 'YBJS_SHELL_TOKEN',
  /** The per-user folder for the backend's V8 code cache (./backend-boot.ts). */
  codeCacheDir: 'YBJS_CODE_CACHE_DIR',
} as const;

/** NODE_OPTIONS could preload code; the RunAsNode and NODE_OPTIONS fuses block most of this in a release, this also covers development. */
const DROPPED = ['NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE', 'NODE_PATH', 'NODE_REPL_EXTERNAL_MODULE'];

export function backendEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  settings: { readonly dataDir: string; readonly port: number; readonly token: string; readonly codeCacheDir: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !DROPPED.includes(key.toUpperCase())) env[key] = value;
  }
  env[ENV.dataDir] = settings.dataDir;
  env[ENV.port] = String(settings.port);
  env[ENV.token] = settings.token;
  env[ENV.codeCacheDir] = settings.codeCacheDir;
  return env;
}
