// What head office publishes to every till of the chain through the ledger (validated on both ends).
import { z } from 'zod';
import { SkuMapping } from '../contracts/technician';

/** A SKU-mapping change: the same fields the technician sets per till. */
export const SkuPublication = SkuMapping;
export type SkuPublication = z.infer<typeof SkuPublication>;

export const PublishRequest = z.discriminatedUnion('kind', [
  /** A signed policy package file, as the policy feed serves it (verified by every till before import). */
  z.object({ kind: z.literal('policy_package'), payload: z.unknown(), scope: z.string().nullable().default(null) }).strict(),
  z.object({ kind: z.literal('sku_mapping'), payload: SkuPublication, scope: z.string().nullable().default(null) }).strict(),
]);
export type PublishRequest = z.infer<typeof PublishRequest>;
