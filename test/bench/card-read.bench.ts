// A full card read (reset, SELECT, 14 records, power off) over a real pty at 38400 baud against the
// simulated reader, which paces its bytes like a wire. Baseline, measured in the same run: the
// wire-time floor = bytes exchanged (both directions, counted from the driver's trace) × 10 bits / baud.
import { performance } from 'node:perf_hooks';
import { startSerialSimulator } from '../../native/reader-sim/serial-sim';
import { simCardFor, trainingCard } from '../../native/reader-sim/training-cards';
import { createVirtualReader } from '../../native/reader-sim/virtual';
import { createSerialCardReader } from '../../native/serial/serial-reader';
import { openPtyPair } from '../support/pty';
import { type BenchResult, type BenchSuite, median } from './harness';

const BAUD = 38400;
const SAMPLES = 15;

/** The same read over the in-process virtual reader with pacing off: no pty, no wire time. */
async function unpacedReadMs(): Promise<number> {
  const virtual = createVirtualReader({ card: 'shiyan-active', pace: false });
  try {
    const times: number[] = [];
    for (let i = 0; i < SAMPLES + 2; i++) {
      const started = performance.now();
      const outcome = await virtual.port.readCard();
      if (!outcome.ok) throw new Error(`virtual read failed: ${outcome.error}`);
      if (i >= 2) times.push(performance.now() - started);
    }
    return median(times);
  } finally {
    await virtual.port.close();
  }
}

export const suite: BenchSuite = {
  name: 'card-read',
  async run(): Promise<BenchResult[]> {
    const pair = await openPtyPair();
    const simulator = await startSerialSimulator(pair.a, { card: simCardFor(trainingCard('shiyan-active')), baud: BAUD });
    let bytes = 0;
    const reader = createSerialCardReader({
      path: pair.b, baud: BAUD,
      trace: (e) => { if (e.kind === 'tx' || e.kind === 'rx' || e.kind === 'drop') bytes += e.bytes.length; },
    });
    try {
      const times: number[] = [];
      const exchanged: number[] = [];
      for (let i = 0; i < SAMPLES + 2; i++) {
        bytes = 0;
        const started = performance.now();
        const outcome = await reader.readCard();
        const elapsed = performance.now() - started;
        if (!outcome.ok) throw new Error(`card read failed: ${outcome.error} ${outcome.message}`);
        if (i < 2) continue; // warm-up: port open, JIT
        times.push(elapsed);
        exchanged.push(bytes);
      }
      const perRead = median(exchanged);
      const floorMs = (perRead * 10 * 1000) / BAUD;
      return [{
        name: `full card read, pty at ${BAUD} baud`,
        unit: 'ms',
        median: median(times),
        baselineName: `wire floor: ${perRead} B × 10 bit / ${BAUD}`,
        baseline: floorMs,
        note: 'the ratio is what framing, turn-arounds and timer granularity add to pure wire time; a cashier expects the holder within 1 s',
      }, {
        name: 'same read in-process, unpaced (driver CPU cost)',
        unit: 'ms',
        median: await unpacedReadMs(),
        baselineName: 'the same wire floor',
        baseline: floorMs,
        note: 'protocol, card application and decoding without any wire: what the driver itself costs',
      }];
    } finally {
      await reader.close();
      await simulator.close();
      await pair.kill();
    }
  },
};
