// 5203 结算信息查询: recovers the outcome of a settlement whose reply was lost. The national input
// names the settlement by setl_id/mdtrt_id, which a lost reply never told us; querying by
// medins_setl_id (= our msgid) is an extension the sandbox implements [U for a real province:
// without it, recovery falls back to 2601 reversal]. A settlement the centre does not hold is an
// infcode-0 reply with setlinfo null.
import { z } from 'zod';
import { code, optionalCode } from '../fields';
import { SetlDetail, SetlInfo } from './settle';

export const QuerySettlementInput = z.object({
  data: z.object({
    psn_no: code(30),
    setl_id: optionalCode(30),
    mdtrt_id: optionalCode(30),
    medins_setl_id: optionalCode(30),
  }).refine((d) => d.setl_id !== '' || d.medins_setl_id !== '', { message: 'give setl_id or medins_setl_id', path: ['setl_id'] }),
});
export type QuerySettlementInput = z.input<typeof QuerySettlementInput>;

export const QuerySettlementOutput = z.object({
  setlinfo: SetlInfo.nullable(),
  setldetail: z.array(SetlDetail).default([]),
});
export type QuerySettlementOutput = z.infer<typeof QuerySettlementOutput>;
