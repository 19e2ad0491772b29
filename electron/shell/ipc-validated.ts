// Every renderer → main call goes through here: the sender must be our app:// top frame in one of
// our windows (Electron checklist #17), and the payload must pass its zod schema.
import { type z } from 'zod';
import { isAppUrl, urlForLog } from './app-origin';
import { describeIssues } from './ipc-schemas';

export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The parts of IpcMainInvokeEvent the checks read; Electron's own event satisfies it. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrameLike | null;
}

export interface IpcMainLike<E extends InvokeEventLike> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

export class IpcRefusal extends Error {}

/** Why a sender is refused, or null when it is trusted. */
export function senderRefusal(event: InvokeEventLike, trustedContentsIds: () => readonly number[]): string | null {
  const frame = event.senderFrame;
  if (frame === null) return 'the sending frame no longer exists';
  if (frame.parent !== null) return 'only the top frame may call the shell';
  if (!isAppUrl(frame.url)) return `the sending frame ${urlForLog(frame.url)} is not the app`;
  if (!trustedContentsIds().includes(event.sender.id)) return 'the sender is not one of our windows';
  return null;
}

export interface ValidatedRoute<E extends InvokeEventLike, S extends z.ZodType, R> {
  readonly channel: string;
  readonly schema: S;
  readonly handler: (payload: z.output<S>, event: E) => R | Promise<R>;
}

export function handleValidated<E extends InvokeEventLike, S extends z.ZodType, R>(
  ipc: IpcMainLike<E>,
  route: ValidatedRoute<E, S, R>,
  trustedContentsIds: () => readonly number[],
  log: (line: string) => void,
): void {
  ipc.handle(route.channel, async (event, ...args) => {
    const refusal = senderRefusal(event, trustedContentsIds);
    if (refusal !== null) {
      log(`ipc ${route.channel} refused: ${refusal}`);
      throw new IpcRefusal(`${route.channel} refused: ${refusal}`);
    }
    if (args.length > 1) throw new IpcRefusal(`${route.channel} refused: expected at most one argument, got ${args.length}`);
    const parsed = route.schema.safeParse(args[0]);
    if (!parsed.success) {
      log(`ipc ${route.channel} refused: ${describeIssues(parsed.error)}`);
      throw new IpcRefusal(`${route.channel} refused: ${describeIssues(parsed.error)}`);
    }
    return route.handler(parsed.data, event);
  });
}
