// Port discovery for the technician (`card list`) and the reader bench. The platform's listing
// (serialport: udevadm on Linux, SetupAPI on Windows, IOKit on macOS) gives vendor details; when it
// fails, or its helper is not installed, the kernel's own view of the serial devices is listed
// instead, marked as such. Listing ports never fails the request. serialport (a native addon and its
// dependencies) is imported when first needed, not at start-up.
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { externalProgram, findOnPath } from '../system/external-programs';

export interface PortInfo {
  readonly path: string;
  readonly manufacturer: string | null;
  readonly vendorId: string | null;
  readonly productId: string | null;
  readonly serialNumber: string | null;
}

/** Why the kernel's list stands in for the platform's. */
export type ListingFallback =
  | { readonly reason: 'helper-missing'; readonly program: string }
  | { readonly reason: 'listing-failed'; readonly detail: string };

export interface PortListing {
  readonly ports: PortInfo[];
  readonly source: 'platform' | 'kernel';
  readonly fallback: ListingFallback | null;
}

export interface ListOptions {
  readonly platform?: NodeJS.Platform;
  /** PATH to look for the platform's helper on. */
  readonly path?: string;
  /** The platform listing (serialport's by default). */
  readonly platformList?: () => Promise<ReadonlyArray<Partial<PortInfo> & { path: string }>>;
  /** Roots of the kernel's view (tests point these at a prepared tree). */
  readonly roots?: KernelRoots;
}

export async function listPorts(options: ListOptions = {}): Promise<PortListing> {
  const platform = options.platform ?? process.platform;
  const kernel = (fallback: ListingFallback): PortListing => ({ ports: platform === 'linux' ? kernelPorts(options.roots) : [], source: 'kernel', fallback });
  // serialport's Linux listing spawns udevadm; without it the spawn fails, so it is not tried.
  if (platform === 'linux' && findOnPath(externalProgram('udevadm').name, options.path) === null) {
    return kernel({ reason: 'helper-missing', program: 'udevadm' });
  }
  try {
    const ports = await (options.platformList ?? (async () => (await import('serialport')).SerialPort.list()))();
    return { ports: ports.map(portInfo), source: 'platform', fallback: null };
  } catch (error) {
    return kernel({ reason: 'listing-failed', detail: error instanceof Error ? error.message : String(error) });
  }
}

function portInfo(p: Partial<PortInfo> & { path: string }): PortInfo {
  return { path: p.path, manufacturer: p.manufacturer ?? null, vendorId: p.vendorId ?? null, productId: p.productId ?? null, serialNumber: p.serialNumber ?? null };
}

export interface KernelRoots { readonly sys: string; readonly dev: string }

const DEV_SERIAL_NAME = /^tty(S|USB|ACM)\d+$/;

/**
 * Serial devices as the Linux kernel shows them: /sys/class/tty entries backed by a device (an 8250
 * UART slot of type 0 has no hardware behind it), the stable names under /dev/serial/by-id, and the
 * usual /dev/tty{S,USB,ACM}N nodes. USB details come from the device's sysfs ancestors.
 */
export function kernelPorts(roots: KernelRoots = { sys: '/sys', dev: '/dev' }): PortInfo[] {
  const classDir = join(roots.sys, 'class', 'tty');
  const found = new Map<string, PortInfo>();
  const add = (name: string): void => {
    const path = join(roots.dev, name);
    if (found.has(path) || !isCharDevice(path) || placeholderUart(classDir, name)) return;
    found.set(path, { path, ...usbDetails(classDir, name) });
  };
  for (const name of list(classDir)) {
    if (exists(join(classDir, name, 'device'))) add(name);
  }
  for (const link of list(join(roots.dev, 'serial', 'by-id'))) {
    const target = linkTarget(join(roots.dev, 'serial', 'by-id', link));
    if (target && dirname(target) === roots.dev) add(basename(target));
  }
  for (const name of list(roots.dev)) {
    if (DEV_SERIAL_NAME.test(name)) add(name);
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/** A built-in UART slot the kernel registers whether or not a chip is there (sysfs `type` 0 = unknown). */
function placeholderUart(classDir: string, name: string): boolean {
  return readText(join(classDir, name, 'type')) === '0';
}

function usbDetails(classDir: string, name: string): Omit<PortInfo, 'path'> {
  let dir = realPath(join(classDir, name, 'device'));
  for (let up = 0; dir && up < 4; up++, dir = dirname(dir)) {
    const vendorId = readText(join(dir, 'idVendor'));
    if (vendorId !== null) {
      return { vendorId, productId: readText(join(dir, 'idProduct')), manufacturer: readText(join(dir, 'manufacturer')), serialNumber: readText(join(dir, 'serial')) };
    }
  }
  return { manufacturer: null, vendorId: null, productId: null, serialNumber: null };
}

function list(dir: string): string[] {
  try { return readdirSync(dir); } catch { return []; }
}

function exists(path: string): boolean {
  try { statSync(path); return true; } catch { return false; }
}

function isCharDevice(path: string): boolean {
  try { return statSync(path).isCharacterDevice(); } catch { return false; }
}

function realPath(path: string): string | null {
  try { return realpathSync(path); } catch { return null; }
}

function linkTarget(path: string): string | null {
  try { return resolve(dirname(path), readlinkSync(path)); } catch { return null; }
}

function readText(path: string): string | null {
  try { return readFileSync(path, 'utf8').trim(); } catch { return null; }
}
