// 中心多 for settlements this store never sent (another system booked them under its own msgids):
// one reversed at the centre by its msgid (2601), one recorded locally from the centre's 5203
// answer. The day then balances; the discrepancy list filters by status; the API is documented.
import { paperRx } from '../../support/paper-rx';
import { beforeAll, describe, expect, test } from 'vitest';
import { settleInputFromBasket } from '../../../core/centre/build';
import { SKU, today, useTill } from '../../support/checkout';
import { directCentre, Manager } from './support';

const env = useTill();
let manager: Manager;
let date: string;
const foreign: Array<{ msgid: string; setlId: string }> = [];

beforeAll(async () => {
  manager = new Manager(env.api, await env.api.login('2001', '2222'));
  date = today();
});

describe('settlements only the centre knows', () => {
  test('two foreign settlements are found as 中心多 with no local standing', async () => {
    // The store's own sale: 3201 asks about the groups (insurance type × agency) the store deals with.
    const own = await env.till.startByCard('nanchang-active');
    await env.till.basket(own.id, [{ sku: SKU.A01, qty: '1', price: '5.00' }]);
    expect((await env.till.ok('POST', `/api/sales/${own.id}/settle`, { useAccount: true })).state).toBe('settled');
    const centre = directCentre(env.api);
    for (const price of ['12.00', '7.50']) {
      const msgid = env.api.runtime.settlements.allocateMsgid();
      const request = settleInputFromBasket({
        psnNo: 'PSN36010002', certType: '02', certNo: '36010219920708002X', insutype: '310', saleTime: new Date(), useAccount: true, rx: paperRx(null),
        lines: [{ medListCodg: 'TRAIN-D-A01', medinsListCodg: 'OTHER-POS', qty: '1', price }],
      });
      const booked = await centre.settle(request, { msgid, insuplcAdmdvs: '360100' });
      expect(booked.kind).toBe('ok');
      if (booked.kind === 'ok') foreign.push({ msgid, setlId: booked.output.setlinfo.setl_id });
    }
    const day = await manager.check(date);
    expect(day.lastCheck.result).toBe('unbalanced');
    const open = day.discrepancies.filter((d: any) => d.kind === 'centre_only');
    expect(open.map((d: any) => d.setlId).sort()).toEqual(foreign.map((f) => f.setlId).sort());
    expect(open.every((d: any) => d.saleId === null && d.patient === null && d.cause.includes('不是本店发出'))).toBe(true);
    expect(open[0].allowed).toEqual(['reverse_at_centre', 'record_locally']);
  });

  test('one is reversed at the centre, the other recorded from 5203; the day balances', async () => {
    const list = await manager.ok('GET', `/api/reconciliation/discrepancies?date=${date}&status=open`);
    const reverse = list.find((d: any) => d.setlId === foreign[0]!.setlId);
    const record = list.find((d: any) => d.setlId === foreign[1]!.setlId);
    const reversed = await manager.resolve(reverse.id, 'reverse_at_centre', '非本店交易');
    expect(reversed.status).toBe(200);
    expect(reversed.body.resolution.detail).toContain(foreign[0]!.msgid);
    expect(env.api.runtime.sandbox!.centre.summary().msgids).not.toContain(foreign[0]!.msgid);
    const recorded = await manager.resolve(record.id, 'record_locally');
    expect(recorded.status).toBe(200);

    const day = await manager.check(date);
    expect(day.lastCheck.result).toBe('balanced');
    expect(day.balanced).toBe(true);
    const adjustment = day.entries.find((e: any) => e.setlId === foreign[1]!.setlId);
    expect(adjustment).toMatchObject({ kind: 'adjustment', status: 'confirmed', count: 1, medfee: '7.50', belongsTo: null });
    expect(adjustment.patient.name).toBe('测**');

    expect(await manager.ok('GET', `/api/reconciliation/discrepancies?date=${date}&status=open`)).toEqual([]);
    expect(await manager.ok('GET', `/api/reconciliation/discrepancies/${record.id}`)).toMatchObject({ status: 'resolved', resolution: { action: 'record_locally' } });
    expect((await manager.call('GET', '/api/reconciliation/discrepancies/20260101.centre_only.nope')).status).toBe(404);
    expect((await manager.call('GET', `/api/reconciliation/discrepancies?from=${date}&to=2020-01-01`)).body.error).toBe('INVALID_RANGE');
  });

  test('the OpenAPI document lists the reconciliation endpoints', async () => {
    const doc = (await env.api.call('GET', '/api/openapi.json')).body;
    for (const path of ['/api/reconciliation/days/{date}/close', '/api/reconciliation/discrepancies/{id}/resolve', '/api/reconciliation/export', '/api/reconciliation/charts/month/{month}']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths['/api/reconciliation/days/{date}/close'].post.description).toBe('Roles: manager');
  });
});
