// Where the bundles and assets sit relative to the app root (the repo in development, app.asar in
// a release). scripts/build-shell.mjs writes this layout; test/unit/shell/build-config.test.ts
// checks the two agree with package.json "main".

export const APP_DIR_NAME = 'yibao-jiesuan';
export const APP_USER_MODEL_ID = 'cn.yibao-jiesuan.desktop';
export const BUNDLE_DIR = 'dist-electron/electron/shell';
export const MAIN_BUNDLE = `${BUNDLE_DIR}/main.cjs`;
export const PRELOAD_BUNDLE = `${BUNDLE_DIR}/preload.cjs`;
export const BACKEND_BUNDLE = `${BUNDLE_DIR}/backend-entry.cjs`;
export const ICON_DIR = 'dist-electron/icons';
export const RENDERER_DIR = 'renderer/dist';
