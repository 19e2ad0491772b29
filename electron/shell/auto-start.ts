// "Start with the computer", into the tray. Windows: the login item Electron manages (with
// --hidden). Linux: an XDG autostart .desktop file, since Electron's login items are macOS/Windows.
import { join } from 'node:path';

export const HIDDEN_FLAG = '--hidden';
export const AUTOSTART_FILE = 'yibao-jiesuan.desktop';

export interface AutoStart {
  readonly supported: boolean;
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

export interface LoginItems {
  getLoginItemSettings(options: { args: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args: string[] }): void;
}

export interface AutostartFs {
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: true }): unknown;
  writeFileSync(path: string, text: string, options: { mode: number }): void;
  rmSync(path: string, options: { force: true }): void;
}

/** Exec= quoting per the Desktop Entry spec: double quotes, with " ` $ \ escaped. */
export function desktopExecQuote(path: string): string {
  return `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function linuxDesktopEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=医保结算助手',
    `Exec=${desktopExecQuote(executable)} ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

export function createAutoStart(input: {
  readonly platform: NodeJS.Platform;
  readonly loginItems: LoginItems;
  readonly fs: AutostartFs;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly execPath: string;
}): AutoStart {
  if (input.platform === 'win32' || input.platform === 'darwin') {
    const args = [HIDDEN_FLAG];
    return {
      supported: true,
      isEnabled: () => input.loginItems.getLoginItemSettings({ args }).openAtLogin,
      setEnabled: (enabled) => input.loginItems.setLoginItemSettings({ openAtLogin: enabled, args }),
    };
  }
  if (input.platform === 'linux') {
    const dir = join(input.env.XDG_CONFIG_HOME || join(input.homeDir, '.config'), 'autostart');
    const file = join(dir, AUTOSTART_FILE);
    // An AppImage runs from a fresh mount point each time; $APPIMAGE is the stable file to start.
    const executable = input.env.APPIMAGE || input.execPath;
    return {
      supported: true,
      isEnabled: () => input.fs.existsSync(file),
      setEnabled: (enabled) => {
        if (!enabled) {
          input.fs.rmSync(file, { force: true });
          return;
        }
        input.fs.mkdirSync(dir, { recursive: true });
        input.fs.writeFileSync(file, linuxDesktopEntry(executable), { mode: 0o644 });
      },
    };
  }
  return { supported: false, isEnabled: () => false, setEnabled: () => undefined };
}
