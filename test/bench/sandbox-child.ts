// Child side of sandbox-process.ts: a sandbox centre on a free port, answering the parent's IPC.
import { startSandbox } from '../../native/sandbox/server';

const sandbox = await startSandbox({ dataDir: process.argv[2]!, port: 0, log: () => undefined });
process.send!({ endpoint: sandbox.endpoint });
process.on('message', (m: { id: number; op: string; arg?: unknown }) => {
  void (async () => {
    try {
      let value: unknown;
      if (m.op === 'stats') value = sandbox.stats();
      else if (m.op === 'setFaults') sandbox.setFaults(m.arg as Parameters<typeof sandbox.setFaults>[0]);
      else if (m.op === 'close') { await sandbox.close(); process.send!({ id: m.id, ok: true }, () => process.exit(0)); return; }
      else throw new Error(`unknown op ${m.op}`);
      process.send!({ id: m.id, ok: true, value });
    } catch (error) {
      process.send!({ id: m.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
