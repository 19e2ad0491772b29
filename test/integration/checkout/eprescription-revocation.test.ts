// A prescription the prescribing hospital revoked (7104 电子处方撤销, fields S1 binzhe12123/Medical
// CFZX/YG7104.cs), seen by the pharmacy. The sandbox plays the hospital through its training control
// and refuses a revoked prescription's 7203, 2102 and 7206 — the sandbox's rule [U]: what a real
// centre refuses where is not public. The till shows the centre's refusal to the cashier (422
// CENTRE_REJECTED with its message), the sale stays open (settled on paper instead), and a queued
// write-off the centre refuses is visible to the manager. Also: a write-off held for a missing
// pharmacist setting is released when the manager sets one.
import { describe, expect, test } from 'vitest';
import { trainingRxNo } from '../../../native/sandbox/eprescription';
import { SKU, Till, today, traceCode, useTill, waitFor } from '../../support/checkout';

const env = useTill();
const manager = async (): Promise<Till> => new Till(env.api, await env.api.login('2001', '2222'));
const revocation = (hiRxno: string) => ({
  hi_rxno: hiRxno, prsc_dr_name: '【培训】李医生', undo_dr_cert_type: '01', undo_dr_certno: '420302198001011230', undo_rea: '诊断更正，处方作废', undo_time: `${today()} 09:30:00`,
});

describe('the sandbox\'s revocation control', () => {
  test('validated (S1 YG7104 fields); an unknown prescription is 404; a cashier cannot revoke', async () => {
    const m = await manager();
    const bad = await m.call('POST', '/api/training/eprescription-revocation', { ...revocation('HRX1'), undo_rea: '' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/undo_rea/);
    expect((await m.call('POST', '/api/training/eprescription-revocation', revocation('HRXNOSUCH'))).body).toMatchObject({ error: 'RX_NOT_FOUND' });
    expect((await env.till.call('POST', '/api/training/eprescription-revocation', revocation('HRX1'))).status).toBe(403);
  });
});

describe('a revoked prescription at the till', () => {
  test('7203 after the revocation: the centre\'s refusal reaches the cashier; the sale stays open and settles on paper', async () => {
    const sale = await env.till.startByCard('shiyan-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    const hiRxno = trainingRxNo(`RX-shiyan-active-${found.issuerCode}-7202`);
    await (await manager()).ok('POST', '/api/training/eprescription-revocation', revocation(hiRxno));
    const r = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: 'CENTRE_REJECTED', message: expect.stringMatching(/已被开方医院撤销.*诊断更正/) });
    const open = await env.till.ok('GET', `/api/sales/${sale.id}`);
    expect(open).toMatchObject({ state: 'open', prescription: null });
    await env.till.prescription(sale.id, found.issuerCode, ['TRAIN-D-B01']);
    await env.till.basket(sale.id, [{ sku: SKU.B01, qty: '1', price: '30.00' }]);
    expect(await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).toMatchObject({ state: 'settled', prescription: { source: 'paper' } });
  });

  test('2102 after the revocation: refused with the centre\'s message; nothing booked; the sale stays open', async () => {
    const sale = await env.till.startByCard('chuxiong-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    const view = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    await env.till.basket(sale.id, [{ sku: SKU.B01, qty: '1', price: '30.00' }]);
    await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    await (await manager()).ok('POST', '/api/training/eprescription-revocation', revocation(view.prescription.entry.rxNo));
    const booked = env.api.runtime.sandbox!.centre.summary().settled;
    const r = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: false });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: 'CENTRE_REJECTED', message: expect.stringMatching(/已被开方医院撤销/) });
    expect(env.api.runtime.sandbox!.centre.summary().settled).toBe(booked);
    // Not settled: the sale is still the cashier's — settled on the paper prescription instead.
    expect((await env.till.ok('GET', `/api/sales/${sale.id}`)).state).not.toBe('settled');
    await env.till.prescription(sale.id, found.issuerCode, ['TRAIN-D-B01']);
    expect(await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).toMatchObject({ state: 'settled', prescription: { source: 'paper' } });
  });

  test('7206 after the revocation: the queued write-off (held for a missing pharmacist, released when one is set) is refused, and the manager sees it with the centre\'s message', async () => {
    const m = await manager();
    const sale = await env.till.startByCard('jincheng-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    const view = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    const hiRxno = view.prescription.entry.rxNo as string;
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '20.00', traceCodes: [traceCode()] }]);
    await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    // The operator's pharmacist is cleared after the review: the write-off cannot be built; it is held, not refused.
    const pharmacist = await m.ok('GET', '/api/operators/1001/pharmacist');
    await m.ok('DELETE', '/api/operators/1001/pharmacist');
    expect((await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).state).toBe('settled');
    const held = await waitFor(() => { const w = env.api.runtime.writeOffs.bySale(sale.id); return w?.heldFor ? w : undefined; });
    expect(held.heldFor).toBe('pharmacist');
    expect(held.entry.refusals).toBe(0);
    const dayView = async () => (await m.ok('GET', `/api/eprescription-writeoffs/days/${held.businessDate}`)).find((w: { id: number }) => w.id === held.id);
    expect(await dayView()).toMatchObject({ state: 'held', heldFor: 'pharmacist', note: expect.stringContaining('执业药师') });
    // Meanwhile the hospital revokes it.
    await m.ok('POST', '/api/training/eprescription-revocation', revocation(hiRxno));
    // Setting the pharmacist releases it at once (no manager 重试 needed); the centre refuses it.
    await m.ok('PUT', '/api/operators/1001/pharmacist', pharmacist);
    const refused = await waitFor(() => { const w = env.api.runtime.writeOffs.bySale(sale.id); return w?.entry.state === 'rejected' ? w : undefined; });
    expect(refused.heldFor).toBeNull();
    expect(refused.entry.note).toMatch(/已被开方医院撤销/);
    expect(await dayView()).toMatchObject({ state: 'rejected', note: expect.stringMatching(/已被开方医院撤销/), log: expect.arrayContaining([expect.objectContaining({ event: 'released' })]) });
    expect(env.api.runtime.sandbox!.centre.writeOffs(hiRxno)).toEqual([]);
    // The sale itself stands (the settlement was booked before the revocation).
    expect((await env.till.ok('GET', `/api/sales/${sale.id}`)).state).toBe('settled');
  });
});
