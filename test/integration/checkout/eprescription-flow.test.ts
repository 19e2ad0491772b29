// The pharmacy's whole e-prescription flow (电子处方流转) through the till's API against the sandbox
// centre: the cashier looks the patient's prescription up by the credential read at identify (7202,
// no QR), downloads it with its one-time auth_rxno (7203), the pharmacist reviews it (7204 审方), it
// is settled against it (2102); once the
// settlement is confirmed the till writes the fill off (7206), queued and sent exactly once; a refund
// sends no cancellation (none is known for this edition) and gives the fill back.
import { describe, expect, test } from 'vitest';
import { EprescriptionWriteOffInput } from '../../../core/centre/tx/eprescription';
import { trainingRxNo, TRAINING_RX_ITEMS } from '../../../native/sandbox/eprescription';
import { SKU, today, traceCode, useTill, waitFor } from '../../support/checkout';

const env = useTill();

const writeOff = (saleId: string) => env.api.runtime.writeOffs.bySale(saleId);
const writtenOff = (saleId: string) => waitFor(() => (writeOff(saleId)?.entry.state === 'accepted' ? writeOff(saleId) : undefined));
const atCentre = (hiRxno: string) => env.api.runtime.sandbox!.centre.writeOffs(hiRxno);

/** Identify by card, look the e-prescription up (7202), download it (7203), sell one box of each drug given. */
async function eprescriptionSale(fixtureId: string, lines: Array<{ sku: string; qty: string; price: string; traceCodes?: string[] }>) {
  const sale = await env.till.startByCard(fixtureId);
  const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
  const view = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
  await env.till.basket(sale.id, lines);
  await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
  const settled = await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
  expect(settled.state).toBe('settled');
  return { id: sale.id as string, authRxno: found.authRxno as string, hiRxno: view.prescription.entry.rxNo as string, settled };
}

describe('7202 → 7203: an e-prescription found by the patient\'s card', () => {
  test('the lookup names issuer, time and validity; the download fills the prescription and the sale settles against it', async () => {
    const sale = await env.till.startByCard('shiyan-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    expect(found).toMatchObject({
      issuerCode: 'TRAIN-H420302-L3', issuerName: expect.stringContaining('三级'), issuedAt: `${today()} 08:00:00`,
      validEnd: expect.stringMatching(/ 23:59:59$/), authRxno: expect.stringMatching(/^AUTH/),
    });
    const view = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    expect(view.prescription).toMatchObject({
      source: 'scanned', valid: true,
      entry: { issuerCode: 'TRAIN-H420302-L3', rxNo: trainingRxNo('RX-shiyan-active-TRAIN-H420302-L3-7202'), issuedOn: today(), items: [...TRAINING_RX_ITEMS] },
      issuer: { code: 'TRAIN-H420302-L3', level: 3 },
    });
    // The auth_rxno was good once: the same number again is the centre's refusal, the sale keeps its prescription.
    const again = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: 'CENTRE_REJECTED', message: expect.stringMatching(/只能使用一次/) });
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
    // 审方 first (7204): without it, or with a refusal, the sale is not settled against the prescription.
    const unreviewed = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: false });
    expect(unreviewed.status).toBe(409);
    expect(unreviewed.body).toMatchObject({ error: 'RX_NOT_REVIEWED', field: 'prescription' });
    const refusedReview = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: false, opinion: '剂量超常，请医生确认' });
    expect(refusedReview.prescription.review).toMatchObject({ approved: false, opinion: '剂量超常，请医生确认', pharmacist: expect.any(String) });
    const refusedSettle = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: false });
    expect(refusedSettle.status).toBe(409);
    expect(refusedSettle.body.message).toMatch(/审方未通过（剂量超常/);
    const approved = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    expect(approved.prescription.review).toMatchObject({ approved: true, opinion: '处方合理' });
    // The centre received both reviews, status code and opinion as sent.
    const rxNo = view.prescription.entry.rxNo as string;
    expect(env.api.runtime.sandbox!.centre.reviews(rxNo).map((r) => [r.status, r.opinion])).toEqual([['0', '剂量超常，请医生确认'], ['1', '处方合理']]);
    expect(await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).toMatchObject({ state: 'settled', prescription: { source: 'scanned' } });
  });

  test('a malformed authRxno is refused naming the field; an unknown one is the centre\'s refusal; 审方 needs a downloaded prescription', async () => {
    const sale = await env.till.startByCard('shiyan-active');
    const bad = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: 'has spaces in it' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/authRxno/);
    const unknown = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: 'AUTH0000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/授权编号不存在/);
    // 审方 is for a downloaded e-prescription only; an empty opinion is refused naming the field.
    expect((await env.till.call('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '好' })).body).toMatchObject({ error: 'RX_NOT_DOWNLOADED' });
    const empty = await env.till.call('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: ' ' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/opinion/);
  });
});

describe('7206: the fill written off once the settlement is confirmed', () => {
  let first: Awaited<ReturnType<typeof eprescriptionSale>>;

  test('sent once with the setl_id, the centre\'s amounts as decimal strings, one selinfo row per box with its 追溯码', async () => {
    const codes = [traceCode(), traceCode()];
    first = await eprescriptionSale('nanchang-active', [{ sku: SKU.A01, qty: '2', price: '12.50', traceCodes: codes }, { sku: SKU.B01, qty: '1', price: '30.00' }]);
    const row = await writtenOff(first.id);
    expect(row.entry).toMatchObject({ state: 'accepted', sends: 1 });
    const held = atCentre(first.hiRxno);
    expect(held).toHaveLength(1);
    const sent = EprescriptionWriteOffInput.parse(held[0]!.input);
    const centre = first.settled.centre;
    expect(held[0]!.setl_id).toBe(centre.setlId);
    expect(sent.data).toMatchObject({
      hi_rxno: first.hiRxno, setl_id: centre.setlId, download_ide_code: first.authRxno, hi_feesetl_type: '2',
      fund_pay_sumamt: centre.split.fund, acct_pay: centre.split.account, psn_cash_pay: centre.split.cash,
      phar_name: expect.any(String), phar_prac_cert_no: expect.any(String), dspeer_name: expect.any(String),
    });
    expect(sent.data.psn_part_amt).toMatch(/^\d+\.\d{2}$/);
    expect(sent.data.payMode).toBe(centre.split.cash === '0.00' ? '2' : '3');
    // Two boxes of A01 → two rows with a code each; B01 (one box) → one row.
    expect(sent.selinfo.map((l) => [l.fixmedins_hilist_id, l.drug_trac_codg, l.sel_retn_cnt, l.sumamt])).toEqual([
      [SKU.A01, codes[0], '1', '12.50'], [SKU.A01, codes[1], '1', '12.50'], [SKU.B01, expect.stringMatching(/^8\d{19}$/), '1', '30.00'],
    ]);
    // Field by field against the edition: exactly the fields it defines (the sandbox refuses any other).
    const tx = env.api.runtime.sandbox!.edition.transactions['7206']!;
    expect(Object.keys(held[0]!.input as object).sort()).toEqual(Object.keys(tx.input.nodes!).sort());
    expect(Object.keys(sent.data).every((k) => k in tx.input.nodes!['data']!.fields)).toBe(true);
  });

  test('reuse counters agree: the till refuses the used-up prescription (7203 reptd_cnt), a second write-off is refused by the centre', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    const again = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: 'RX_USED_UP', message: expect.stringMatching(/已取药 1 次（仅可取药一次）/) });
    // Over-use at the centre: another 7206 for the same prescription under another settlement is refused.
    const held = EprescriptionWriteOffInput.parse(atCentre(first.hiRxno)[0]!.input);
    const msgid = env.api.runtime.settlements.allocateMsgid();
    const refused = await env.api.runtime.centre.uploadSales('7206', { ...held, data: { ...held.data, setl_id: 'S-OTHER' } }, { msgid });
    expect(refused).toMatchObject({ kind: 'ok', output: [{ accepted: false, message: expect.stringMatching(/已核销 1 次（限 1 次）/) }] });
    expect(atCentre(first.hiRxno)).toHaveLength(1);
  });

  test('a refund sends no cancellation (none known): the write-off is marked refunded and the fill is given back at both ends', async () => {
    const sentBefore = env.api.runtime.sandbox!.stats().byInfno['7206'];
    expect((await env.till.ok('POST', `/api/sales/${first.id}/refund`, { reason: '顾客退货' })).state).toBe('refunded');
    await env.api.runtime.reports.reporter.drainOnce();
    expect(env.api.runtime.sandbox!.stats().byInfno['7206']).toBe(sentBefore);
    const row = writeOff(first.id)!;
    expect(row.entry.state).toBe('accepted');
    expect(row.refundedAt).not.toBeNull();
    expect(env.api.runtime.writeOffs.history(row.id).map((h) => h.event)).toContain('refunded');
    const again = await eprescriptionSale('nanchang-active', [{ sku: SKU.A01, qty: '1', price: '12.50' }]);
    expect((await writtenOff(again.id)).entry.sends).toBe(1);
    expect(atCentre(first.hiRxno).map((w) => w.setl_id)).toEqual([first.settled.centre.setlId, again.settled.centre.setlId]);
  });

  test('the reply lost after the centre committed: sent again under the same msgid, written off once', async () => {
    const sandbox = env.api.runtime.sandbox!;
    sandbox.setFaults({ seed: 7, dropAfterCommitRate: 1, infnos: ['7206'] });
    const sale = await eprescriptionSale('jincheng-active', [{ sku: SKU.A01, qty: '1', price: '20.00' }]);
    await waitFor(() => (atCentre(sale.hiRxno).length > 0 ? true : undefined));
    await waitFor(() => (writeOff(sale.id)!.entry.state === 'queued' && writeOff(sale.id)!.entry.sends === 1 ? true : undefined));
    const pending = writeOff(sale.id)!.pendingMsgid;
    expect(pending).not.toBeNull();
    sandbox.setFaults({});
    env.api.runtime.reports.reporter.kick({ force: true });
    const row = await writtenOff(sale.id);
    expect(row.entry.sends).toBe(2);
    expect(row.lastMsgid).toBe(pending);
    const held = atCentre(sale.hiRxno);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ msgid: pending, repeats: 1 });
  });

  test('the process died after sending, before the reply: on start-up it is sent again under the persisted msgid, written off once', async () => {
    const { reporter } = env.api.runtime.reports;
    await reporter.stop();
    const sale = await eprescriptionSale('shiyan-retired', [{ sku: SKU.B01, qty: '1', price: '30.00' }]);
    const queued = writeOff(sale.id)!;
    expect(queued.entry.state).toBe('queued');
    // What a send does before the call: the msgid persisted, the row `sending`; then the call reaches
    // the centre and the process dies before the reply is stored.
    const msgid = env.api.runtime.settlements.allocateMsgid();
    const pharmacist = env.api.runtime.reports.store.pharmacistOf(env.api.runtime.sales.get(sale.id)!.operator_id);
    const built = env.api.runtime.writeOffs.reportQueue(() => pharmacist).payload(queued);
    if (!('payload' in built)) throw new Error(built.error);
    env.api.runtime.store.db.prepare("UPDATE eprescription_writeoff SET state = 'sending', sends = 1, pending_msgid = ?, last_msgid = ? WHERE id = ?").run(msgid, msgid, queued.id);
    expect(await env.api.runtime.centre.uploadSales('7206', built.payload, { msgid })).toMatchObject({ kind: 'ok', output: [{ accepted: true }] });
    reporter.start();
    const row = await writtenOff(sale.id);
    expect(row.entry.sends).toBe(2);
    expect(row.lastMsgid).toBe(msgid);
    expect(atCentre(sale.hiRxno)).toMatchObject([{ msgid, repeats: 1 }]);
    expect(env.api.runtime.writeOffs.history(row.id).map((h) => h.event)).toEqual(['queued', 'crash_recovered', 'send_started', 'accepted']);
  });
});
