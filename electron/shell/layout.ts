// Where the bundles and assets sit relative to the app root (the repo in development, app.asar in
// a release). scripts/build-shell.mjs writes this layout; test/unit/shell/build-config.test.ts
// checks the two agree with package.json "main".

export const APP_DIR_NAME = 'yibao-jiesuan';
export const APP_USER_MODEL_ID = 'cn.yibao-jiesuan.desktop';
export const BUNDLE_DIR = 'dist-electron/electron/shell';
export const MAIN_BUNDLE = `${BUNDLE_DIR}/main.cjs`;
export const PRELOAD_BUNDLE = `${BUNDLE_DIR}/preload.cjs`;
export const BACKEND_BUNDLE = `${BUNDLE_DIR}/backend-entry.cjs`;
/** What the utility process runs: loads BACKEND_BUNDLE (next to it) with a V8 code cache (code-cache.ts). */
export const BACKEND_BOOT = `${BUNDLE_DIR}/backend-boot.cjs`;
/** The code cache's folder under the per-user app data (never the shared temp folder: the cache is code). */
export const CODE_CACHE_DIR_NAME = 'backend-code-cache';
/**
 * Node flags of the backend process. A 2 MiB young generation instead of V8's up-to-16 MiB
 * semi-spaces: reading a year of history (journal verify, old lists) allocates short-lived objects
 * fast, and the default young generation grows and stays resident (~+20 MiB measured, rss bench).
 * Costs only more frequent, smaller scavenges. Must be on the command line (V8 ignores it later).
 */
export const BACKEND_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];
export const ICON_DIR = 'dist-electron/icons';
export const RENDERER_DIR = 'renderer/dist';
