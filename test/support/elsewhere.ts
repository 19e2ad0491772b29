// A purchase at ANOTHER pharmacy, settled online against the same sandbox by a second, real centre
// client: the centre's year-to-date figures (5206) change without this store seeing the sale. Tests use
// it to make a till's cached figures stale, the way a patient who shops around makes them stale.
import { paperRx } from './paper-rx';
import { settleInputFromBasket } from '../../core/centre/build';
import { createCentreClient } from '../../core/centre/client';
import { msgidGenerator } from '../../core/centre/msgid';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../core/centre/training';
import { HttpJsonTransport } from '../../native/centre/http-transport';
import { trainingPersons } from '../../native/sandbox/seed';

export const OTHER_PHARMACY = { ...TRAINING_IDENTITY, fixmedinsCode: 'P42030200099', fixmedinsName: '【培训】另一家定点药店', opter: 'OTHER01' };

export interface ElsewhereLine { readonly medListCodg: string; readonly qty: string; readonly price: string }

export interface SaleElsewhere {
  readonly setlinfo: Record<string, unknown>;
  /** Refunds it at the other pharmacy (2103): the centre's year figures drop back. */
  cancel(): Promise<void>;
}

/** Settles `lines` for the training card `fixtureId` at the other pharmacy. */
export async function settleElsewhere(endpoint: string, fixtureId: string, rxIssuerCode: string, lines: readonly ElsewhereLine[]): Promise<SaleElsewhere> {
  const who = trainingPersons().find((p) => p.fixtureId === fixtureId);
  if (!who) throw new Error(`no training person ${fixtureId}`);
  const transport = new HttpJsonTransport({ url: endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 5000 });
  try {
    const clock = (): Date => new Date();
    const nextMsgid = msgidGenerator(OTHER_PHARMACY.fixmedinsCode, clock);
    const other = createCentreClient({ transport, identity: OTHER_PHARMACY, clock, terminal: TRAINING_TERMINAL, nextMsgid });
    const request = settleInputFromBasket({
      psnNo: who.psnNo, certType: '02', certNo: who.certno, insutype: who.insutype, saleTime: clock(), useAccount: false,
      rx: paperRx(rxIssuerCode), lines: lines.map((l, i) => ({ ...l, medinsListCodg: `ELSEWHERE-${i + 1}` })),
    });
    const outcome = await other.settle(request, { insuplcAdmdvs: who.insuplcAdmdvs, msgid: nextMsgid() });
    if (outcome.kind !== 'ok') throw new Error(`settlement elsewhere: ${outcome.kind} ${JSON.stringify(outcome)}`);
    const { setl_id, mdtrt_id } = outcome.output.setlinfo;
    return {
      setlinfo: outcome.output.setlinfo as unknown as Record<string, unknown>,
      cancel: async () => {
        const cancelled = await other.cancel({ data: { setl_id, mdtrt_id, psn_no: who.psnNo } }, { msgid: nextMsgid(), insuplcAdmdvs: who.insuplcAdmdvs });
        await transport.close();
        if (cancelled.kind !== 'ok') throw new Error(`refund elsewhere: ${cancelled.kind} ${JSON.stringify(cancelled)}`);
      },
    };
  } catch (error) {
    await transport.close();
    throw error;
  }
}
