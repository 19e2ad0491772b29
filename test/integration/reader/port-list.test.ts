// Port discovery never fails (issue 13): without udevadm, or when the platform listing throws, the
// kernel's view is listed and marked as such. The kernel tree is a real folder of sysfs-shaped files
// and /dev-shaped links to a real character device (/dev/null), the way the kernel lays them out.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { kernelPorts, listPorts } from '../../../native/serial/list';

let roots: { sys: string; dev: string };

function file(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${text}\n`);
}

function link(path: string, target: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'ybjs-ports-'));
  roots = { sys: join(root, 'sys'), dev: join(root, 'dev') };
  const tty = join(roots.sys, 'class', 'tty');
  // A USB adapter: ttyUSB0's device is the usb-serial port, two levels below the USB device.
  const usb = join(roots.sys, 'devices', 'pci0000:00', 'usb1', '1-1');
  file(join(usb, 'idVendor'), '1a86');
  file(join(usb, 'idProduct'), '7523');
  file(join(usb, 'manufacturer'), 'QinHeng');
  file(join(usb, 'serial'), 'RD-0042');
  mkdirSync(join(usb, '1-1:1.0', 'ttyUSB0'), { recursive: true });
  link(join(tty, 'ttyUSB0', 'device'), join(usb, '1-1:1.0', 'ttyUSB0'));
  // A built-in UART with a chip (type 4 = 16550A) and an empty slot (type 0).
  mkdirSync(join(roots.sys, 'devices', 'platform', 'serial8250'), { recursive: true });
  for (const [name, type] of [['ttyS0', '4'], ['ttyS1', '0']] as const) {
    link(join(tty, name, 'device'), join(roots.sys, 'devices', 'platform', 'serial8250'));
    file(join(tty, name, 'type'), type);
  }
  // A virtual console: no device behind it, not a serial port.
  mkdirSync(join(tty, 'tty1'), { recursive: true });
  for (const name of ['ttyUSB0', 'ttyS0', 'ttyS1', 'tty1', 'ttyACM3']) link(join(roots.dev, name), '/dev/null');
  // A node that is not a device at all is ignored.
  file(join(roots.dev, 'ttyACM9'), 'not a device');
  link(join(roots.dev, 'serial', 'by-id', 'usb-QinHeng_CH340_RD-0042-if00-port0'), '../../ttyUSB0');
});

describe('the kernel view of serial ports', () => {
  test('lists backed tty devices, by-id targets and the usual nodes; skips empty UART slots and non-devices', () => {
    const ports = kernelPorts(roots);
    expect(ports.map((p) => p.path)).toEqual(['ttyACM3', 'ttyS0', 'ttyUSB0'].map((n) => join(roots.dev, n)));
    expect(ports.find((p) => p.path.endsWith('ttyUSB0'))).toMatchObject({ vendorId: '1a86', productId: '7523', manufacturer: 'QinHeng', serialNumber: 'RD-0042' });
    expect(ports.find((p) => p.path.endsWith('ttyS0'))).toMatchObject({ vendorId: null, manufacturer: null });
  });
});

describe('listPorts', () => {
  test('without udevadm on PATH the platform listing is not even tried: the kernel list, marked, says why', async () => {
    let tried = false;
    const listing = await listPorts({ platform: 'linux', path: dirname(process.execPath), roots, platformList: async () => { tried = true; return []; } });
    expect(tried).toBe(false);
    expect(listing).toMatchObject({ source: 'kernel', fallback: { reason: 'helper-missing', program: 'udevadm' } });
    expect(listing.ports).toHaveLength(3);
  });

  test('a platform listing that throws (spawn udevadm ENOENT and the like) falls back to the kernel list', async () => {
    const binDir = mkdtempSync(join(tmpdir(), 'ybjs-bin-'));
    writeFileSync(join(binDir, 'udevadm'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const listing = await listPorts({ platform: 'linux', path: binDir, roots, platformList: async () => { throw new Error('spawn udevadm ENOENT'); } });
    expect(listing).toMatchObject({ source: 'kernel', fallback: { reason: 'listing-failed', detail: 'spawn udevadm ENOENT' } });
    expect(listing.ports.map((p) => p.path)).toContain(join(roots.dev, 'ttyUSB0'));
  });

  test('when the platform listing works, its list is used as it is', async () => {
    const binDir = mkdtempSync(join(tmpdir(), 'ybjs-bin-'));
    writeFileSync(join(binDir, 'udevadm'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const listing = await listPorts({ platform: 'linux', path: binDir, roots, platformList: async () => [{ path: '/dev/ttyUSB7', vendorId: '0403' }] });
    expect(listing).toEqual({ source: 'platform', fallback: null, ports: [{ path: '/dev/ttyUSB7', vendorId: '0403', productId: null, manufacturer: null, serialNumber: null }] });
  });

  test('on this machine, with the real serialport listing, it answers (platform or kernel) and never throws', async () => {
    const listing = await listPorts();
    expect(['platform', 'kernel']).toContain(listing.source);
    expect(Array.isArray(listing.ports)).toBe(true);
  });
});
