/* global module */
// electron-builder configuration, used by `npm run package` (scripts/package.mjs → --config).
// Installers: Windows NSIS x64; Linux AppImage and deb. Checked by test/unit/shell/build-config.test.ts.
module.exports = {
  appId: 'cn.yibao-jiesuan.desktop', // = APP_USER_MODEL_ID in electron/shell/layout.ts (Windows taskbar, notifications)
  productName: '医保结算助手',
  executableName: 'yibao-jiesuan', // ASCII file names on disk; the product name shows in menus and shortcuts
  copyright: 'Copyright © 医保结算助手',
  directories: { output: 'release', buildResources: 'build' },
  // Only the bundles, the built UI and package.json; electron-builder adds the production
  // dependencies from node_modules itself (devDependencies never ship).
  files: [
    'package.json',
    'dist-electron/**',
    'renderer/dist/**',
    '!**/*.map',
    // better-sqlite3: the SQLite sources and compiler leftovers are not needed at run time.
    '!node_modules/better-sqlite3/{deps,src}/**',
    '!node_modules/better-sqlite3/build/{deps,Release/obj,Release/obj.target,Release/.deps}/**',
    '!node_modules/better-sqlite3/build/*.{mk,Makefile,gypi}',
    '!node_modules/better-sqlite3/build/Makefile',
    '!node_modules/better-sqlite3/build/Release/{sqlite3.a,test_extension.node}',
    '!node_modules/@serialport/bindings-cpp/src/**',
  ],
  asar: true,
  // A native .node file cannot be dlopen()ed from inside app.asar: unpack every one, and the two
  // native packages' binding folders whole (better-sqlite3's build/, serialport's prebuilds/).
  asarUnpack: [
    '**/*.node',
    'node_modules/better-sqlite3/build/Release/**',
    'node_modules/@serialport/bindings-cpp/prebuilds/**',
  ],
  // Native modules are rebuilt against Electron's ABI (not the system Node's) while packaging,
  // for each target platform/arch. Where a package publishes prebuilt Electron binaries
  // (better-sqlite3 does, via prebuild-install) those are fetched; otherwise node-gyp compiles
  // with Electron's headers. Forcing source builds would make the Windows installer impossible to
  // build from Linux. serialport's bindings are N-API with prebuilds inside the package.
  npmRebuild: true,
  buildDependenciesFromSource: false,
  nodeGypRebuild: false,
  afterPack: './build/hooks/after-pack.mjs', // Electron fuses, see that file
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/icons/icon.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false, // per-user install: no admin rights needed at the pharmacy counter
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: '医保结算助手',
    deleteAppDataOnUninstall: false, // settlements and the outbox must survive a reinstall
    runAfterFinish: true,
    installerLanguages: ['zh_CN'],
    language: '2052',
    artifactName: 'yibao-jiesuan-${version}-setup-x64.${ext}',
  },
  linux: {
    target: [{ target: 'AppImage', arch: ['x64'] }, { target: 'deb', arch: ['x64'] }],
    icon: 'build/icons/icon.png',
    category: 'Office',
    synopsis: '定点零售药店医保结算助手',
    maintainer: '医保结算助手 <support@yibao-jiesuan.invalid>',
    artifactName: 'yibao-jiesuan-${version}-${arch}.${ext}',
  },
  publish: null, // releases are uploaded by hand; the app has no auto-updater
};
