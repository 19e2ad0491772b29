// The crash suite (test/crash/suite.ts), bounded for CI: the backend process SIGKILLed 12 times at
// random moments of checkouts, sync drains and day closes, restarted each time on the same data
// folder. The full run is `npm run test:crash` (200 kills).
import { expect, test } from 'vitest';
import { runCrashSuite } from '../../crash/suite';

const KILLS = 12;

test(`the backend killed ${KILLS} times mid-checkout, mid-sync and mid-close loses nothing and books nothing twice`, async () => {
  const report = await runCrashSuite({ kills: KILLS, seed: 424242, settleUpEvery: 6 });
  expect(report.failures).toEqual([]);
  expect(report.kills).toBe(KILLS);
  expect(report.byPoint.checkout).toBeGreaterThan(0);
  expect(report.byPoint.sync).toBeGreaterThan(0);
  expect(report.byPoint['day-close']).toBeGreaterThan(0);
  expect(report.dayCloses.cutOff + report.dayCloses.committed).toBe(report.byPoint['day-close']);
  // The first settle kills aim early: at least one cut a settle off, and the POS's retry recovered it.
  expect(report.landed.midRequest).toBeGreaterThan(0);
  expect(report.sales.retriedOk).toBe(report.landed.midRequest);
  expect(report.centre.booked).toBe(report.centre.storeConfirmed);
  expect(report.centre.booked).toBeGreaterThan(KILLS);
}, 150_000);
