// The centre client reconciliation uses. The runtime composes one for the checkout and sync but
// does not expose it; until it does (`runtime.centre`), reconciliation builds its own client to the
// same endpoint (through the same transport in training) with the same identity and the same
// persisted msgid sequence.
import { createCentreClient } from '../../../core/centre/client';
import { type CentrePort } from '../../../core/centre/port';
import { TRAINING_TERMINAL } from '../../../core/centre/training';
import { CentreSettings } from '../../../core/contracts/technician';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { zipFileCodec } from '../../../native/centre/zip';
import { CENTRE_SETTINGS_KEY, type Runtime } from '../runtime';

export function centreFor(runtime: Runtime, now: () => Date = () => new Date()): CentrePort {
  const exposed = (runtime as Runtime & { readonly centre?: CentrePort }).centre;
  if (exposed) return exposed;
  const settings = runtime.store.settings.get(runtime.terminalId, CENTRE_SETTINGS_KEY, CentreSettings);
  const url = runtime.sandbox?.endpoint ?? settings?.url;
  if (!url) throw new Error('no centre endpoint: the terminal is neither in training (sandbox) nor configured with a centre URL');
  // Training: the runtime's own transport, so its simulated network switch applies here too.
  // Otherwise a transport of our own; 3202 moves a file both ways, so it gets more time.
  const transport = runtime.network ?? new HttpJsonTransport({ url, connectTimeoutMs: 2_000, responseTimeoutMs: Math.max(settings?.timeoutMs ?? 10_000, 30_000) });
  return createCentreClient({
    transport, identity: runtime.identity, clock: now, terminal: TRAINING_TERMINAL, files: zipFileCodec,
    nextMsgid: () => runtime.settlements.allocateMsgid(),
  });
}
