// Terminal status shown in every workspace: online/offline, sync queue, training mode, reader.
import { z } from 'zod';

export const StatusView = z.object({
  online: z.boolean(),
  /** When the centre last answered (ISO), null if never. */
  lastContactAt: z.string().nullable(),
  /** Training mode: the sandbox centre and/or the virtual reader are in use. */
  training: z.object({ sandboxCentre: z.boolean(), virtualReader: z.boolean() }),
  queue: z.object({ pending: z.number().int(), unknown: z.number().int(), parked: z.number().int() }),
  reader: z.object({ kind: z.enum(['serial', 'pcsc', 'library', 'virtual', 'none']), port: z.string().nullable(), model: z.string().nullable() }),
  terminalId: z.string(),
  institution: z.object({ code: z.string(), name: z.string(), region: z.string() }),
  /** The interface edition and gateway security the centre connection uses. */
  edition: z.object({ id: z.string(), name: z.string(), security: z.string() }),
  businessDate: z.string(),
  /** The store ledger, when one is configured: facts not yet pushed (账本待传) and the last problem, naming the setting. */
  ledger: z.object({
    tillId: z.string(), pending: z.number().int(), error: z.string().nullable(),
    /** Only on head office's seat (ledgerSeat headoffice): the chain's name once read, and whether the ledger answered the last probe. */
    seat: z.literal('headoffice').optional(), chain: z.string().nullable().optional(), reachable: z.boolean().optional(),
  }).nullable().optional(),
});
export type StatusView = z.infer<typeof StatusView>;
