// The technician's reader discovery for every kind: serial ports, PC/SC readers (or why PC/SC is not
// available here), and the path test of a vendor library.
import { type z } from 'zod';
import { type LibraryTest, type ReaderDiscovery } from '../../core/contracts/technician';
import { createPcscCardReader } from '../../native/pcsc/pcsc-reader';
import { listPorts, type PortListing } from '../../native/serial/list';
import { type CallingConvention, createLibraryCardReader } from '../../native/sscard-lib/library-reader';

export async function discoverReaders(): Promise<z.infer<typeof ReaderDiscovery> & { listing: PortListing }> {
  const listing = await listPorts().catch((): PortListing => ({ ports: [], source: 'kernel', fallback: null }));
  const serial = listing.ports;
  const pcsc = createPcscCardReader({ settleMs: 300 });
  try {
    return { serial, listing, pcsc: { unavailable: null, readers: await pcsc.list() } };
  } catch (error) {
    return { serial, listing, pcsc: { unavailable: error instanceof Error ? error.message : String(error), readers: [] } };
  } finally {
    await pcsc.close();
  }
}

export async function testLibrary(path: string, convention: CallingConvention): Promise<z.infer<typeof LibraryTest>> {
  const reader = createLibraryCardReader({ path, convention, timeoutMs: 10_000 });
  try {
    const probe = await reader.probe();
    return { ok: probe.ok, found: [...probe.found], message: probe.message };
  } finally {
    await reader.close();
  }
}
