// Live state for the UI and POS (card inserted, sync status, online/offline) as server-sent events.
import { type FastifyReply } from 'fastify';

export interface LiveEvent {
  readonly type: string;
  readonly data: unknown;
}

type Listener = (event: LiveEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly latest = new Map<string, LiveEvent>();

  publish(type: string, data: unknown): void {
    const event = { type, data };
    this.latest.set(type, event);
    for (const listener of this.listeners) listener(event);
  }

  /** The most recent event of each type, so a new subscriber starts from the current state. */
  snapshot(): LiveEvent[] {
    return [...this.latest.values()];
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function streamEvents(bus: EventBus, reply: FastifyReply, heartbeatMs = 15_000): void {
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', ...reply.getHeaders() as Record<string, string> });
  const send = (e: LiveEvent): void => { res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`); };
  for (const e of bus.snapshot()) send(e);
  const unsubscribe = bus.subscribe(send);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
  res.on('close', () => { clearInterval(heartbeat); unsubscribe(); });
}
