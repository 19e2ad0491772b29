import { describe, expect, test } from 'vitest';
import { configFromArgs, DEFAULT_PORT, defaultDataDir } from '../../electron/backend/config';

describe('backend config', () => {
  test('defaults to 127.0.0.1 on the documented port', () => {
    const c = configFromArgs([], {}, null);
    expect(c).toMatchObject({ host: '127.0.0.1', port: DEFAULT_PORT });
    expect(DEFAULT_PORT).toBe(17650);
  });
  test('--port wins over YBJS_PORT, which wins over the default', () => {
    expect(configFromArgs(['--port', '18000'], { YBJS_PORT: '19000' }, null).port).toBe(18000);
    expect(configFromArgs(['--port=18001'], {}, null).port).toBe(18001);
    expect(configFromArgs([], { YBJS_PORT: '19000' }, null).port).toBe(19000);
  });
  test('--port without a value is an error naming the flag', () => {
    expect(() => configFromArgs(['--port'], {}, null)).toThrow(/--port/);
  });
  test('YBJS_LEDGER_SEAT / --ledger-seat: till or headoffice, anything else refused naming the variable', () => {
    expect(configFromArgs([], {}, null).ledgerSeat).toBeNull();
    expect(configFromArgs([], { YBJS_LEDGER_SEAT: 'headoffice' }, null).ledgerSeat).toBe('headoffice');
    expect(configFromArgs(['--ledger-seat', 'till'], { YBJS_LEDGER_SEAT: 'headoffice' }, null).ledgerSeat).toBe('till');
    expect(() => configFromArgs([], { YBJS_LEDGER_SEAT: 'hq' }, null)).toThrow(/^YBJS_LEDGER_SEAT: .*till or headoffice/);
    expect(() => configFromArgs(['--ledger-seat=HQ'], {}, null)).toThrow(/^--ledger-seat: /);
  });
  test('the data folder follows the OS convention', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('yibao-jiesuan');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/yibao-jiesuan');
  });
});
