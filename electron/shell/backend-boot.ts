// The backend utility process's first file (bundled to backend-boot.cjs, next to backend-entry.cjs):
// runs the backend bundle with a V8 code cache in YBJS_CODE_CACHE_DIR (./code-cache.ts), so a
// restart does not compile the bundle again. Without the variable the bundle runs uncached.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV } from './backend-env';
import { runBundleWithCodeCache } from './code-cache';

const here = fileURLToPath(new URL('.', import.meta.url));
runBundleWithCodeCache(join(here, 'backend-entry.cjs'), {
  cacheDir: process.env[ENV.codeCacheDir] || null,
  log: (line) => console.error(line),
});
