// The pharmacists of the e-prescription flow: each operator's 执业药师 setting carries the ID
// (证件类型 / 证件号码: S1 binzhe12123/Medical CFZX/CFSH7204.cs phar_cert_type / phar_certno, 参照人员证件类型),
// validated, masked in lists and kept from a cashier's account; the review (7204) names a 复核药师
// (rchk_phar_*: the one picked in the review dialog, else the store's default); 7204 and 7206 carry
// what the settings hold.
import { describe, expect, test } from 'vitest';
import { residentIdCheckChar } from '../../../core/card/resident-id';
import { SKU, Till, traceCode, useTill, waitFor } from '../../support/checkout';

const env = useTill();
const idNumber = (first17: string): string => first17 + residentIdCheckChar(first17);
const REVIEWER_ID = idNumber('42030219850101123');
const RECHECK_ID = idNumber('36010219900202456');

async function manager(): Promise<Till> {
  return new Till(env.api, await env.api.login('2001', '2222'));
}

describe('the pharmacist setting: 证件类型 and 证件号码', () => {
  test('validated: a wrong check character, a missing half, an unknown type are refused naming the field', async () => {
    const m = await manager();
    const put = (body: unknown) => m.call('PUT', '/api/operators/1001/pharmacist', body);
    const badCheck = REVIEWER_ID.slice(0, 17) + (REVIEWER_ID[17] === '0' ? '1' : '0');
    const r1 = await put({ name: '李药师', certNo: 'ZY-1001', idType: '01', idNo: badCheck });
    expect(r1.status).toBe(400);
    expect(JSON.stringify(r1.body)).toMatch(/idNo/);
    const r2 = await put({ name: '李药师', certNo: 'ZY-1001', idType: '01' });
    expect(r2.status).toBe(400);
    expect(JSON.stringify(r2.body)).toMatch(/idType and idNo/);
    // Only 01 居民身份证 has a public value; others are not offered.
    const r3 = await put({ name: '李药师', certNo: 'ZY-1001', idType: '02', idNo: '12345' });
    expect(r3.status).toBe(400);
    expect(JSON.stringify(r3.body)).toMatch(/idType/);
  });

  test('stored; read in full by the manager and the technician only; masked in the list; a cashier cannot read it', async () => {
    const m = await manager();
    expect(await m.ok('PUT', '/api/operators/1001/pharmacist', { name: '李药师', certNo: 'ZY-1001', idType: '01', idNo: REVIEWER_ID.toLowerCase() }))
      .toEqual({ name: '李药师', certNo: 'ZY-1001', idType: '01', idNo: REVIEWER_ID });
    expect(await m.ok('PUT', '/api/operators/2001/pharmacist', { name: '王药师', certNo: 'ZY-2001', idType: '01', idNo: RECHECK_ID })).toMatchObject({ idNo: RECHECK_ID });
    const tech = new Till(env.api, await env.api.login('3001', '3333'));
    expect(await tech.ok('GET', '/api/operators/1001/pharmacist')).toMatchObject({ idNo: REVIEWER_ID });
    expect((await env.till.call('GET', '/api/operators/1001/pharmacist')).status).toBe(403);
    const list = await env.till.ok('GET', '/api/pharmacists');
    const mine = list.find((p: { operatorId: string }) => p.operatorId === '1001');
    expect(mine).toMatchObject({ name: '李药师', idType: '01', idNoMasked: `${REVIEWER_ID.slice(0, 6)}********${REVIEWER_ID.slice(-4)}` });
    expect(JSON.stringify(list)).not.toContain(REVIEWER_ID);
    expect(JSON.stringify(list)).not.toContain(RECHECK_ID);
  });

  test('the store\'s default 复核药师: only an operator with a pharmacist setting; a cashier cannot set it', async () => {
    const m = await manager();
    expect((await env.till.call('PUT', '/api/eprescription/recheck-pharmacist', { operatorId: '2001' })).status).toBe(403);
    expect((await m.call('PUT', '/api/eprescription/recheck-pharmacist', { operatorId: 'nobody' })).body).toMatchObject({ error: 'NO_PHARMACIST', field: 'operatorId' });
    expect(await m.ok('PUT', '/api/eprescription/recheck-pharmacist', { operatorId: '2001' })).toEqual({ operatorId: '2001' });
    expect(await env.till.ok('GET', '/api/eprescription/recheck-pharmacist')).toEqual({ operatorId: '2001' });
    expect((await env.till.ok('GET', '/api/pharmacists')).find((p: { operatorId: string }) => p.operatorId === '2001')).toMatchObject({ recheckDefault: true });
  });
});

describe('7204 and 7206 carry the pharmacists\' IDs and the 复核药师', () => {
  test('the default 复核药师 fills rchk_phar_*, the reviewer\'s ID fills phar_*; 7206 carries the reviewer\'s ID; no ID in the journal', async () => {
    const sale = await env.till.startByCard('shiyan-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    const view = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    const rxNo = view.prescription.entry.rxNo as string;
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '20.00', traceCodes: [traceCode()] }]);
    // The same person cannot re-check their own review.
    const same = await env.till.call('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理', recheckOperatorId: '1001' });
    expect(same.body).toMatchObject({ error: 'RECHECK_SAME_PHARMACIST', field: 'recheckOperatorId' });
    const reviewed = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    expect(reviewed.prescription.review).toMatchObject({ pharmacist: '李药师', recheckPharmacist: '王药师' });
    const [sent] = env.api.runtime.sandbox!.centre.reviewInputs(rxNo);
    expect(sent).toMatchObject({ data: {
      phar_name: '李药师', phar_prac_cert_no: 'ZY-1001', phar_cert_type: '01', phar_certno: REVIEWER_ID,
      rchk_phar_name: '王药师', rchk_phar_cert_type: '01', rchk_phar_certno: RECHECK_ID,
    } });
    expect((await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true })).state).toBe('settled');
    const written = await waitFor(() => env.api.runtime.sandbox!.centre.writeOffs(rxNo)[0]);
    expect(written.input).toMatchObject({ data: { phar_name: '李药师', phar_cert_type: '01', phar_certno: REVIEWER_ID, pro_cert_type: '01', pro_certno: REVIEWER_ID } });
    const journal = JSON.stringify(env.api.runtime.store.db.prepare('SELECT payload FROM journal').all());
    expect(journal).toContain('王药师');
    expect(journal).not.toContain(REVIEWER_ID);
    expect(journal).not.toContain(RECHECK_ID);
  });

  test('the review dialog\'s pick overrides the default; null sends none (the national edition allows it)', async () => {
    const m = await manager();
    await m.ok('PUT', '/api/operators/3001/pharmacist', { name: '赵药师', certNo: 'ZY-3001' });
    const sale = await env.till.startByCard('nanchang-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    const view = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    const rxNo = view.prescription.entry.rxNo as string;
    expect((await env.till.call('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理', recheckOperatorId: '9999' })).body)
      .toMatchObject({ error: 'NO_PHARMACIST', field: 'recheckOperatorId' });
    await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理', recheckOperatorId: '3001' });
    await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理', recheckOperatorId: null });
    const inputs = env.api.runtime.sandbox!.centre.reviewInputs(rxNo).map((i) => i.data as Record<string, string>);
    // 赵药师 has no ID set: the name goes, the ID fields are empty.
    expect(inputs.map((d) => [d.rchk_phar_name, d.rchk_phar_cert_type, d.rchk_phar_certno])).toEqual([['赵药师', '', ''], ['', '', '']]);
  });
});
