// Terminal status shown in every workspace: online/offline, sync queue, training mode, reader.
import { z } from 'zod';

export const StatusView = z.object({
  online: z.boolean(),
  /** When the centre last answered (ISO), null if never. */
  lastContactAt: z.string().nullable(),
  /** Training mode: the sandbox centre and/or the virtual reader are in use. */
  training: z.object({ sandboxCentre: z.boolean(), virtualReader: z.boolean() }),
  queue: z.object({ pending: z.number().int(), unknown: z.number().int(), parked: z.number().int() }),
  reader: z.object({ kind: z.enum(['serial', 'virtual', 'none']), port: z.string().nullable(), model: z.string().nullable() }),
  terminalId: z.string(),
  institution: z.object({ code: z.string(), name: z.string(), region: z.string() }),
  /** The interface edition and gateway security the centre connection uses. */
  edition: z.object({ id: z.string(), name: z.string(), security: z.string() }),
  businessDate: z.string(),
});
export type StatusView = z.infer<typeof StatusView>;
