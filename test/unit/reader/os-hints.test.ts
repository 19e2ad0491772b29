// What a technician is told when the OS refuses the port (messages as serialport 13 reports them).
import { describe, expect, test } from 'vitest';
import { explainOpenError } from '../../../native/serial/os-hints';

describe('OS refusal hints', () => {
  test.each([
    ['Error: Permission denied, cannot open /dev/ttyUSB0', '/dev/ttyUSB0', 'linux', /dialout/],
    ['Error Resource temporarily unavailable Cannot lock port', '/dev/ttyUSB0', 'linux', /in use by another program .*fuser/],
    ['Error: No such file or directory, cannot open /dev/ttyUSB9', '/dev/ttyUSB9', 'linux', /does not exist/],
    ['Opening COM3: Access denied', 'COM3', 'win32', /COM3 is busy: another program has the COM port open/],
    ['Opening COM9: File not found', 'COM9', 'win32', /COM9 does not exist.*Device Manager/],
    ['Error: Permission denied, cannot open /dev/cu.usbserial', '/dev/cu.usbserial', 'darwin', /may not open serial devices/],
    ['Something new', '/dev/x', 'linux', /^cannot open \/dev\/x$/],
  ] as const)('%s (%s on %s)', (message, path, platform, hint) => {
    expect(explainOpenError(message, path, platform)).toMatch(hint);
  });
});
