// The shell's smaller parts: data folder resolution, auto-start, the log file (redaction and
// rotation, on a real temp folder), the tray menu, save-file and print.
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type MenuItemConstructorOptions } from 'electron';
import { AUTOSTART_FILE, createAutoStart, desktopExecQuote, linuxDesktopEntry } from '../../../electron/shell/auto-start';
import { resolveDataLocation } from '../../../electron/shell/data-location';
import { createLogger, redact } from '../../../electron/shell/log-file';
import { printContents } from '../../../electron/shell/print';
import { saveFile } from '../../../electron/shell/save-file';
import { statusLabel, trayIconFor, trayMenuTemplate, trayTooltip } from '../../../electron/shell/tray-menu';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('data folder', () => {
  const userDataDir = '/home/yaoshi/.config/yibao-jiesuan';

  test('defaults to <userData>/data', () => {
    expect(resolveDataLocation({ userDataDir, env: {}, locationFileText: null })).toEqual({ dataDir: join(userDataDir, 'data'), source: 'default' });
  });

  test('data-location.json points a terminal at a shared folder (BOM tolerated)', () => {
    expect(resolveDataLocation({ userDataDir, env: {}, locationFileText: '\uFEFF{"dataDir": "/mnt/store/terminal-2"}' }))
      .toEqual({ dataDir: '/mnt/store/terminal-2', source: 'location-file' });
  });

  test('YBJS_DATA_DIR wins over the file', () => {
    expect(resolveDataLocation({ userDataDir, env: { YBJS_DATA_DIR: '/srv/ybjs' }, locationFileText: '{"dataDir": "/mnt/x"}' }).source).toBe('environment');
  });

  test.each([
    ['{"dataDir": "relative/path"}', /data-location\.json: dataDir: must be an absolute path/],
    ['{"dataDir": ""}', /dataDir/],
    ['{"datadir": "/x"}', /data-location\.json: .*datadir/],
    ['{not json', /data-location\.json: not valid JSON/],
  ])('a bad file (%s) stops startup with the file and field named', (text, message) => {
    expect(() => resolveDataLocation({ userDataDir, env: {}, locationFileText: text })).toThrow(message);
  });

  test('a relative YBJS_DATA_DIR is refused', () => {
    expect(() => resolveDataLocation({ userDataDir, env: { YBJS_DATA_DIR: 'data' }, locationFileText: null })).toThrow(/YBJS_DATA_DIR: must be an absolute path/);
  });
});

describe('auto-start', () => {
  const noLoginItems = { getLoginItemSettings: () => { throw new Error('not on Linux'); }, setLoginItemSettings: () => { throw new Error('not on Linux'); } };

  test('Linux: writes and removes an XDG autostart entry that starts the AppImage hidden', () => {
    const home = temp('ybjs-home-');
    const auto = createAutoStart({ platform: 'linux', loginItems: noLoginItems, fs, env: { APPIMAGE: '/home/y/Apps/医保 结算.AppImage' }, homeDir: home, execPath: '/tmp/.mount_x/yibao-jiesuan' });
    expect(auto.supported).toBe(true);
    expect(auto.isEnabled()).toBe(false);
    auto.setEnabled(true);
    const file = join(home, '.config', 'autostart', AUTOSTART_FILE);
    expect(auto.isEnabled()).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Exec="/home/y/Apps/医保 结算.AppImage" --hidden');
    auto.setEnabled(false);
    expect(fs.existsSync(file)).toBe(false);
    auto.setEnabled(false); // idempotent
  });

  test('Linux: XDG_CONFIG_HOME is honoured; without APPIMAGE the executable itself is started', () => {
    const config = temp('ybjs-xdg-');
    const auto = createAutoStart({ platform: 'linux', loginItems: noLoginItems, fs, env: { XDG_CONFIG_HOME: config }, homeDir: '/nonexistent', execPath: '/opt/医保结算助手/yibao-jiesuan' });
    auto.setEnabled(true);
    expect(readFileSync(join(config, 'autostart', AUTOSTART_FILE), 'utf8')).toContain('Exec="/opt/医保结算助手/yibao-jiesuan" --hidden');
  });

  test('Exec quoting escapes what the Desktop Entry spec requires', () => {
    expect(desktopExecQuote('/a/"b"/$c/`d`/e\\f')).toBe('"/a/\\"b\\"/\\$c/\\`d\\`/e\\\\f"');
    expect(linuxDesktopEntry('/x').split('\n')).toEqual(expect.arrayContaining(['[Desktop Entry]', 'Type=Application', 'Exec="/x" --hidden']));
  });

  test('Windows: Electron login items, with --hidden', () => {
    const calls: unknown[] = [];
    const auto = createAutoStart({
      platform: 'win32', fs, env: {}, homeDir: 'C:\\Users\\y', execPath: 'C:\\x.exe',
      loginItems: { getLoginItemSettings: (o) => { calls.push(['get', o]); return { openAtLogin: true }; }, setLoginItemSettings: (s) => { calls.push(['set', s]); } },
    });
    expect(auto.isEnabled()).toBe(true);
    auto.setEnabled(false);
    expect(calls).toEqual([['get', { args: ['--hidden'] }], ['set', { openAtLogin: false, args: ['--hidden'] }]]);
  });

  test('elsewhere it says it is unsupported', () => {
    expect(createAutoStart({ platform: 'freebsd', loginItems: noLoginItems, fs, env: {}, homeDir: '/', execPath: '/x' }).supported).toBe(false);
  });
});

describe('log file', () => {
  test('masks resident ID numbers and mobile numbers, leaves other numbers alone', () => {
    expect(redact('card 11010519491231002X read')).toBe('card 1101**********002X read');
    expect(redact('id=440305199912310018;')).toBe('id=4403**********0018;');
    expect(redact('tel 13812345678')).toBe('tel 138****5678');
    expect(redact('settlement 20250630000000000123456 total 12.30')).toBe('settlement 20250630000000000123456 total 12.30');
    expect(redact('port 17650 pid 4242')).toBe('port 17650 pid 4242');
  });

  test('writes stamped, tagged, redacted lines and rotates at the size limit, keeping N files', () => {
    const dir = join(temp('ybjs-logs-'), 'logs');
    let t = 0;
    const log = createLogger({ dir, fs, now: () => new Date(Date.UTC(2025, 5, 30, 8, 0, t++)), maxBytes: 200, keep: 2 });
    log('backend', 'patient 11010519491231002X\n\nsecond line');
    const first = readFileSync(join(dir, 'shell.log'), 'utf8').split('\n');
    expect(first[0]).toBe('2025-06-30T08:00:00.000Z [backend] patient 1101**********002X');
    expect(first[1]).toBe('2025-06-30T08:00:00.000Z [backend] second line');
    for (let i = 0; i < 20; i += 1) log('shell', `line ${i} ${'x'.repeat(40)}`);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['shell.log', 'shell.log.1', 'shell.log.2']);
    expect(fs.statSync(join(dir, 'shell.log')).size).toBeLessThan(200 + 120);
    expect(readFileSync(join(dir, 'shell.log'), 'utf8')).toContain('line 19');
  });

  test('a log folder that cannot be written does not throw into the shell', () => {
    const dir = temp('ybjs-logs-');
    const log = createLogger({ dir, fs: { ...fs, appendFileSync: () => { throw new Error('ENOSPC'); } }, now: () => new Date(0) });
    expect(() => log('shell', 'hello')).not.toThrow();
  });
});

describe('tray', () => {
  const ready = { state: 'ready', apiBaseUrl: 'http://127.0.0.1:1' } as const;
  const actionsLog: string[] = [];
  const actions = {
    showWindow: () => actionsLog.push('show'), restartBackend: () => actionsLog.push('restart'),
    setAutoStart: (on: boolean) => actionsLog.push(`auto ${on}`), quit: () => actionsLog.push('quit'),
  };
  const click = (item: MenuItemConstructorOptions, checked = false) => (item.click as unknown as (i: { checked: boolean }) => void)({ checked });

  test('icon and tooltip follow the backend state', () => {
    expect(trayIconFor(ready)).toBe('tray-ok');
    expect(trayIconFor({ state: 'restarting', apiBaseUrl: null, restartInMs: 2000 })).toBe('tray-busy');
    expect(trayIconFor({ state: 'failed', apiBaseUrl: null })).toBe('tray-down');
    expect(trayTooltip(ready)).toBe('医保结算助手 · 后台服务正常');
    expect(statusLabel({ state: 'restarting', apiBaseUrl: null, restartInMs: 2500 })).toBe('后台服务异常，3 秒后重启');
  });

  test('menu: status line, open, restart, auto-start checkbox, quit — each wired to its action', () => {
    const menu = trayMenuTemplate(ready, { supported: true, enabled: true }, actions);
    expect(menu.map((i) => i.label ?? i.type)).toEqual(['后台服务正常', 'separator', '打开主窗口', '重启后台服务', '开机自动启动', 'separator', '退出（POS 将无法结算）']);
    expect(menu[0]!.enabled).toBe(false);
    expect(menu[4]).toMatchObject({ type: 'checkbox', checked: true, enabled: true });
    click(menu[2]!); click(menu[3]!); click(menu[4]!, false); click(menu[6]!);
    expect(actionsLog).toEqual(['show', 'restart', 'auto false', 'quit']);
  });

  test('auto-start is greyed out where unsupported; restart is disabled while starting', () => {
    const menu = trayMenuTemplate({ state: 'starting', apiBaseUrl: null }, { supported: false, enabled: false }, actions);
    expect(menu[3]!.enabled).toBe(false);
    expect(menu[4]!.enabled).toBe(false);
  });
});

describe('save file and print', () => {
  test('writes the decoded bytes where the operator chose, with the dialog filtered by extension', async () => {
    const dir = temp('ybjs-save-');
    const target = join(dir, '对账单.xlsx');
    const dialogs: unknown[] = [];
    const result = await saveFile({ suggestedName: '对账单-2025-06-30.xlsx', content: Buffer.from('PK\u0003\u0004zip').toString('base64'), encoding: 'base64' }, {
      dialog: { showSaveDialog: async (o) => { dialogs.push(o); return { canceled: false, filePath: target }; } },
      documentsDir: '/home/y/Documents', writeFile: (p, d) => writeFile(p, d), joinPath: join,
    });
    expect(result).toEqual({ saved: true, path: target });
    expect(readFileSync(target, 'latin1')).toBe('PK\u0003\u0004zip');
    expect(dialogs).toEqual([{ title: '保存文件', defaultPath: '/home/y/Documents/对账单-2025-06-30.xlsx', filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] }]);
  });

  test('utf8 text is written as UTF-8; a cancelled dialog writes nothing', async () => {
    const dir = temp('ybjs-save-');
    const target = join(dir, 'a.csv');
    const deps = (canceled: boolean) => ({ dialog: { showSaveDialog: async () => ({ canceled, filePath: target }) }, documentsDir: dir, writeFile: (p: string, d: Uint8Array) => writeFile(p, d), joinPath: join });
    expect(await saveFile({ suggestedName: 'a.csv', content: '药品,金额\n阿莫西林,12.30\n', encoding: 'utf8' }, deps(true))).toEqual({ saved: false });
    expect(fs.existsSync(target)).toBe(false);
    await saveFile({ suggestedName: 'a.csv', content: '药品,金额\n阿莫西林,12.30\n', encoding: 'utf8' }, deps(false));
    expect(readFileSync(target, 'utf8')).toBe('药品,金额\n阿莫西林,12.30\n');
  });

  test('print reports success or the failure reason', async () => {
    const options: unknown[] = [];
    await expect(printContents({ print: (o, cb) => { options.push(o); cb(true, ''); } }, true)).resolves.toEqual({ ok: true });
    await expect(printContents({ print: (_o, cb) => cb(false, 'cancelled') }, false)).resolves.toEqual({ ok: false, reason: 'cancelled' });
    expect(options).toEqual([{ silent: true, printBackground: true }]);
  });
});
