// Electron main process: composition only. Each decision lives in a small module beside this file
// and is unit-tested with Electron's parts passed in (test/unit/shell/); this file wires them up.
import {
  app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, protocol, session, shell, Tray, utilityProcess,
  type IpcMainInvokeEvent, type NativeImage,
} from 'electron';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { APP_SCHEME } from './app-origin';
import { createAppProtocolHandler, privilegedSchemes } from './app-protocol';
import { createAutoStart, HIDDEN_FLAG } from './auto-start';
import { backendEnvironment } from './backend-env';
import { type BackendChild, BackendSupervisor } from './backend-supervisor';
import { type BackendStatusView, CHANNELS, type ConnectionInfo } from './bridge-contract';
import { contentSecurityPolicy } from './csp';
import { LOCATION_FILE, resolveDataLocation } from './data-location';
import { ConnectionPayload, PrintPayload, SaveFilePayload } from './ipc-schemas';
import { handleValidated } from './ipc-validated';
import { APP_DIR_NAME, APP_USER_MODEL_ID, BACKEND_BOOT, BACKEND_EXEC_ARGV, CODE_CACHE_DIR_NAME, ICON_DIR, PRELOAD_BUNDLE, RENDERER_DIR } from './layout';
import { createLogger, type Logger } from './log-file';
import { printContents } from './print';
import { RestartPolicy } from './restart-policy';
import { saveFile } from './save-file';
import { createStatusRelay } from './status-relay';
import { trayIconFor, trayMenuTemplate, trayTooltip, type TrayIconName } from './tray-menu';
import { hardenSession, hardenWebContents } from './web-security';
import { createMainWindow } from './window-options';

// Before 'ready': the privileged scheme, the sandbox for every renderer, our own userData folder
// (an ASCII name, the same on every OS, instead of the Chinese product name).
protocol.registerSchemesAsPrivileged(privilegedSchemes());
app.enableSandbox();
app.setPath('userData', join(app.getPath('appData'), APP_DIR_NAME));
// Date pickers and other built-in widgets follow the UI language, not the OS locale.
app.commandLine.appendSwitch('lang', 'zh-CN');

if (!app.requestSingleInstanceLock()) {
  // A second launch (double-click while running in the tray) only brings the first one forward.
  app.quit();
} else {
  runShell();
}

function runShell(): void {
  const startHidden = process.argv.includes(HIDDEN_FLAG);
  const appRoot = app.getAppPath();
  let logger: Logger = (source, text) => console.log(`[${source}] ${text}`);
  const log = (line: string): void => logger('shell', line);
  let window: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let quitting = false;
  let backendStopped = false;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell, log));
  app.on('second-instance', () => showWindow());
  app.on('window-all-closed', () => {
    // Stay in the tray: the pharmacy's POS keeps using the local API with the window closed.
  });
  app.on('before-quit', (event) => {
    quitting = true;
    if (backendStopped || supervisor === null) return;
    event.preventDefault(); // let the backend close its database first, then quit for real
    void supervisor.stop().finally(() => {
      backendStopped = true;
      app.quit();
    });
  });

  let supervisor: BackendSupervisor | null = null;

  function showWindow(): void {
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  function trayImage(name: TrayIconName): NativeImage {
    return nativeImage.createFromPath(join(appRoot, ICON_DIR, `${name}.png`));
  }

  app.whenReady().then(() => {
    const userData = app.getPath('userData');
    app.setAppLogsPath(join(userData, 'logs'));
    app.setAppUserModelId(APP_USER_MODEL_ID);
    logger = createLogger({ dir: app.getPath('logs'), fs, now: () => new Date(), ...(app.isPackaged ? {} : { echo: (line: string) => console.log(line) }) });
    log(`starting ${app.getName()} ${app.getVersion()} (Electron ${process.versions.electron})`);

    const locationPath = join(userData, LOCATION_FILE);
    const location = resolveDataLocation({
      userDataDir: userData,
      env: process.env,
      locationFileText: fs.existsSync(locationPath) ? fs.readFileSync(locationPath, 'utf8') : null,
    });
    log(`data folder: ${location.dataDir} (${location.source})`);
    const token = randomBytes(32).toString('base64url');

    hardenSession(session.defaultSession, log);
    Menu.setApplicationMenu(null);

    const autoStart = createAutoStart({
      platform: process.platform, loginItems: app, fs, env: process.env, homeDir: homedir(), execPath: process.execPath,
    });
    const updateTray = (status: BackendStatusView): void => {
      if (tray === null) return;
      tray.setImage(trayImage(trayIconFor(status)));
      tray.setToolTip(trayTooltip(status));
      tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(status, { supported: autoStart.supported, enabled: autoStart.isEnabled() }, {
        showWindow,
        restartBackend: () => supervisor?.restart(),
        setAutoStart: (enabled) => {
          autoStart.setEnabled(enabled);
          log(`auto-start ${enabled ? 'on' : 'off'}`);
        },
        quit: () => app.quit(),
      })));
    };

    const forkBackend = (port: number): BackendChild => {
      const child = utilityProcess.fork(join(appRoot, BACKEND_BOOT), [], {
        serviceName: 'ybjs-backend',
        stdio: 'pipe',
        execArgv: [...BACKEND_EXEC_ARGV],
        env: backendEnvironment(process.env, { dataDir: location.dataDir, port, token, codeCacheDir: join(userData, CODE_CACHE_DIR_NAME) }),
      });
      child.stdout?.on('data', (chunk: Buffer) => logger('backend', chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => logger('backend', chunk.toString('utf8')));
      return child;
    };
    const backend = new BackendSupervisor({
      fork: forkBackend,
      policy: new RestartPolicy(),
      timers: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
      now: () => Date.now(),
      onStatus: createStatusRelay({ getWindow: () => window, updateTray, log }),
      log: (line) => logger('backend', line),
    });
    supervisor = backend;

    protocol.handle(APP_SCHEME, createAppProtocolHandler({
      rendererRoot: join(appRoot, RENDERER_DIR),
      readFile: (path) => readFile(path),
      contentSecurityPolicy: () => contentSecurityPolicy(backend.status.apiBaseUrl),
      log,
    }));

    const trustedSenders = (): number[] => (window !== null && !window.isDestroyed() ? [window.webContents.id] : []);
    const ipcLog = (line: string): void => logger('ipc', line);
    handleValidated<IpcMainInvokeEvent, typeof ConnectionPayload, ConnectionInfo>(ipcMain, {
      channel: CHANNELS.connection,
      schema: ConnectionPayload,
      handler: () => ({ backend: backend.status, token }),
    }, trustedSenders, ipcLog);
    handleValidated(ipcMain, {
      channel: CHANNELS.print,
      schema: PrintPayload,
      handler: (payload, event: IpcMainInvokeEvent) => printContents(event.sender, payload?.silent ?? false),
    }, trustedSenders, ipcLog);
    handleValidated(ipcMain, {
      channel: CHANNELS.saveFile,
      schema: SaveFilePayload,
      handler: (payload) => saveFile(payload, {
        dialog: { showSaveDialog: (options) => (window !== null ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)) },
        documentsDir: app.getPath('documents'),
        writeFile: (path, data) => writeFile(path, data),
        joinPath: join,
      }),
    }, trustedSenders, ipcLog);

    const iconPath = join(appRoot, ICON_DIR, 'icon.png');
    const mainWindow = createMainWindow(BrowserWindow, join(appRoot, PRELOAD_BUNDLE), fs.existsSync(iconPath) ? iconPath : undefined);
    window = mainWindow;
    mainWindow.once('ready-to-show', () => {
      if (!startHidden) mainWindow.show();
    });
    mainWindow.on('close', (event) => {
      if (quitting) return;
      event.preventDefault(); // closing hides to the tray; "退出" in the tray menu quits
      mainWindow.hide();
    });
    mainWindow.webContents.on('render-process-gone', (_event, details) => {
      log(`renderer gone: ${details.reason} (exit code ${details.exitCode})`);
      if (details.reason !== 'clean-exit' && !quitting) mainWindow.webContents.reload();
    });

    tray = new Tray(trayImage(trayIconFor(backend.status)));
    tray.on('click', () => showWindow());
    updateTray(backend.status);

    backend.start();
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log(`could not start: ${message}`);
    dialog.showErrorBox('医保结算助手无法启动', message);
    app.exit(1);
  });
}
