// A PC/SC card read through the driver against the same APDU exchange sent raw through the binding,
// in the same run: a private pcscd with vsmartcard's vpcd and a simulated SSSE card (root; see
// test/support/pcscd.ts). The ratio is what the driver adds (card application, decoding, tracing,
// reader bookkeeping) to the transport's own cost; vpcd's TCP hop dominates both.
import { performance } from 'node:perf_hooks';
import { PcscMonitor } from '../../native/pcsc/monitor';
import { createPcscCardReader } from '../../native/pcsc/pcsc-reader';
import { simCardFor, trainingCard } from '../../native/reader-sim/training-cards';
import { VpcdCard } from '../../native/reader-sim/vpcd-card';
import { setNativeEnv } from '../support/native-env';
import { startPcscd } from '../support/pcscd';
import { type BenchResult, type BenchSuite, median } from './harness';

const SAMPLES = 7;

function callback<T>(run: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

export const suite: BenchSuite = {
  name: 'pcsc-read',
  async run(): Promise<BenchResult[]> {
    const rig = await startPcscd();
    setNativeEnv('PCSCLITE_CSOCK_NAME', rig.socket);
    const apdus: Uint8Array[] = [];
    let recording = true;
    const reader = createPcscCardReader({ reader: rig.readerNames.slot0, trace: (e) => { if (recording && e.kind === 'apdu') apdus.push(e.command); } });
    const card = new VpcdCard(simCardFor(trainingCard('shiyan-active')), { port: rig.ports.slot0 });
    try {
      await card.insert();
      const monitor = await PcscMonitor.shared();
      if (!(await monitor.waitFor(() => (monitor.get(rig.readerNames.slot0)?.state ?? 0) & 0x20 ? true : false, 10_000))) throw new Error('the card was not seen by pcscd');
      const driver: number[] = [];
      for (let i = 0; i < SAMPLES + 1; i++) {
        const started = performance.now();
        const outcome = await reader.readCard();
        if (!outcome.ok) throw new Error(`PC/SC read failed: ${outcome.error} ${outcome.message}`);
        if (i > 0) driver.push(performance.now() - started);
        recording = false;
      }
      const handle = monitor.get(rig.readerNames.slot0)!.handle;
      const raw: number[] = [];
      for (let i = 0; i < SAMPLES + 1; i++) {
        const started = performance.now();
        const protocol = await callback<number>((done) => handle.connect({ share_mode: handle.SCARD_SHARE_EXCLUSIVE, protocol: handle.SCARD_PROTOCOL_T0 | handle.SCARD_PROTOCOL_T1 }, done));
        for (const apdu of apdus) await callback<Buffer>((done) => handle.transmit(Buffer.from(apdu), 514, protocol, done));
        await callback<void>((done) => handle.disconnect(handle.SCARD_UNPOWER_CARD, (e) => done(e, undefined)));
        if (i > 0) raw.push(performance.now() - started);
      }
      return [{
        name: `full card read through the PC/SC driver (${apdus.length} APDUs, pcscd + vpcd)`,
        unit: 'ms',
        median: median(driver),
        baselineName: `the same ${apdus.length} APDUs raw through the binding (connect, transmit, disconnect)`,
        baseline: median(raw),
        note: 'close to 1× means the driver costs little beyond the transport; vpcd answers each APDU over loopback TCP, a USB CCID reader takes a few ms per APDU instead',
      }];
    } finally {
      card.remove();
      await reader.close();
      await rig.stop();
    }
  },
};
