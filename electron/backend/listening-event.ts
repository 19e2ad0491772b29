// The one thing the backend tells its boot file (electron/shell/code-cache.ts): start-up is done.
// A module of its own so the boot bundle does not pull in the backend to learn the name.

/** Emitted on `process` by startBackend once the server listens. */
export const BACKEND_LISTENING_EVENT = 'ybjs:backend-listening';

/** Says start-up is done; nothing listens under `npm run serve` or in tests. */
export function announceListening(events: Pick<NodeJS.EventEmitter, 'emit'> = process): void {
  events.emit(BACKEND_LISTENING_EVENT);
}
