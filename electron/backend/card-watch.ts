// Card presence for the live event stream: the reader is asked for its slot state once a second
// (the reference protocol only speaks when spoken to), and a change is published as a 'card' event.
// The reader driver queues its commands, so a status poll never interleaves with a card read — but a
// poll queued just before a read delays it by the poll's exchange. So no poll is started while the
// counter is busy (`busy`: a checkout request in flight, which is when a card read happens); the
// slot state is asked again at the next tick after it.
import { type CardReaderPort, type SlotState } from '../../core/card/port';

export function watchCard(
  port: () => CardReaderPort,
  publish: (state: { present: boolean; slot: SlotState | 'unknown'; error: string | null }) => void,
  options: { readonly intervalMs?: number; readonly busy?: () => boolean } = {},
): () => void {
  const intervalMs = options.intervalMs ?? 1000;
  let last = '';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    if (!options.busy?.()) {
      const outcome = await port().status().catch((e: unknown) => ({ ok: false as const, error: 'READER_DISCONNECTED', message: String(e) }));
      const state = outcome.ok
        ? { present: outcome.card !== 'absent', slot: outcome.card, error: null }
        : { present: false, slot: 'unknown' as const, error: outcome.error };
      const key = JSON.stringify(state);
      if (key !== last) { last = key; publish(state); }
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), 0);
  return () => { stopped = true; clearTimeout(timer); };
}
