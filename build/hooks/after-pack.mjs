/* global process, console */
// electron-builder afterPack hook: flips Electron's fuses in the packed executable, before signing
// (electron-builder signs after afterPack). Fuses are compile-time switches in the binary itself,
// so a release cannot be talked into running as plain Node or loading code from outside app.asar.
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { join } from 'node:path';

/**
 * The release fuses. YBJS_E2E_BUILD=1 keeps only the inspector fuse on, for a Playwright test build:
 * Playwright's _electron.launch times out when EnableNodeCliInspectArguments is off.
 */
export function fuseConfig(env = process.env) {
  return {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false, // ELECTRON_RUN_AS_NODE would turn the app into a Node runtime
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false, // NODE_OPTIONS could --require code
    [FuseV1Options.EnableNodeCliInspectArguments]: env.YBJS_E2E_BUILD === '1',
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true, // app.asar must match the hash in the binary
    [FuseV1Options.OnlyLoadAppFromAsar]: true, // never an app/ folder planted next to app.asar
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false, // we serve app://, file:// gets no extras
  };
}

/** The executable electron-builder produced, named as its own addElectronFuses names it. */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  if (electronPlatformName === 'linux') return join(appOutDir, packager.executableName);
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  throw new Error(`after-pack: unknown platform ${electronPlatformName}`);
}

export async function afterPack(context) {
  const binary = electronBinaryPath(context);
  const config = fuseConfig();
  const configured = Object.keys(config).filter((key) => /^\d+$/.test(key)).length;
  const wire = await getCurrentFuseWire(binary);
  const wireLength = Object.keys(wire).filter((key) => /^\d+$/.test(key)).length;
  if (wireLength > configured) {
    console.warn(`after-pack: this Electron has ${wireLength} fuses, we set ${configured}; review the new ones (update @electron/fuses) before the next release`);
  }
  await flipFuses(binary, config);
  console.log(`after-pack: fuses set in ${binary}`);
}
