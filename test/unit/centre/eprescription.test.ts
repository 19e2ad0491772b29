// 7201/7203 schemas (core/centre/tx/eprescription.ts): what a real centre may send is accepted and
// normalised, hostile replies are refused naming the field; and the sandbox's training QR parser.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { describeIssues } from '../../../core/centre/fields';
import { TRANSACTIONS } from '../../../core/centre/transactions';
import {
  EprescriptionDownloadInput, EprescriptionDownloadOutput, EprescriptionQrInput, EprescriptionQrOutput,
} from '../../../core/centre/tx/eprescription';
import { trainingInstitutions } from '../../../core/policy/reference';
import { parseTrainingQr, trainingRxNo } from '../../../native/sandbox/eprescription';
import { TRAINING_CARDS } from '../../../native/reader-sim/training-cards';

const issues = (r: { success: boolean; error?: unknown }): string => (r.success ? '' : describeIssues(r.error as never));

const download = {
  data: {
    hi_rxno: 'HRX0001', fixmedins_code: 'H36010200001', fixmedins_name: '某医院', prsc_time: '2025-06-16 09:30:00',
    valid_days: 3, valid_end_time: '2025-06-18 23:59:59', rept_flag: '0', max_rept_cnt: 0, reptd_cnt: 0, rx_file: 'JVBERi0xLjQK',
  },
  rxdrugdetail: [{ med_list_codg: 'XA01ABC123B001010100001', drug_genname: '阿莫西林胶囊', drug_spec: '0.25g*24粒', drug_cnt: 2 }],
  mdtrtinfo: { psn_no: 'PSN1', certno: '36010219920708002X', prsc_dr_name: '王医生', prsc_dept_name: '内科', patn_name: '测试乙' },
  diseinfo: [{ diag_code: 'J06.900', diag_name: '急性上呼吸道感染' }],
};

describe('7201 QR decode', () => {
  test('input: the QR text is required; the channel fields default to empty', () => {
    expect(EprescriptionQrInput.parse({ data: { epc_qrcd: 'ABC' } }).data).toMatchObject({ epc_qrcd: 'ABC', app_chnl_id: '', opter: '' });
    expect(issues(EprescriptionQrInput.safeParse({ data: { epc_qrcd: '' } }))).toMatch(/^data\.epc_qrcd:/);
    expect(issues(EprescriptionQrInput.safeParse({ data: { epc_qrcd: 'x'.repeat(513) } }))).toMatch(/^data\.epc_qrcd:/);
  });

  test('output: a token and a 6-digit division are required; nulls read as empty', () => {
    expect(EprescriptionQrOutput.parse({ epc_token: 'T1', cert_type: null, name: '测试乙', certno: '36010219920708002X', insuplc_admdvs: '360100' }))
      .toEqual({ epc_token: 'T1', cert_type: '', name: '测试乙', certno: '36010219920708002X', insuplc_admdvs: '360100' });
    expect(issues(EprescriptionQrOutput.safeParse({ epc_token: '', insuplc_admdvs: '360100' }))).toMatch(/^epc_token:/);
    expect(issues(EprescriptionQrOutput.safeParse({ epc_token: 'T', insuplc_admdvs: 360100 }))).toMatch(/^insuplc_admdvs:/);
    expect(issues(EprescriptionQrOutput.safeParse({ epc_token: 'T', insuplc_admdvs: '3601' }))).toMatch(/^insuplc_admdvs:/);
  });
});

describe('7203 download', () => {
  test('input: a token or an authorisation number, and the insured division', () => {
    expect(EprescriptionDownloadInput.safeParse({ data: { epc_token: 'T', insuplc_admdvs: '360100' } }).success).toBe(true);
    expect(EprescriptionDownloadInput.safeParse({ data: { auth_rxno: 'A', insuplc_admdvs: '360100' } }).success).toBe(true);
    expect(issues(EprescriptionDownloadInput.safeParse({ data: { insuplc_admdvs: '360100' } }))).toBe('data.epc_token: give epc_token or auth_rxno');
    expect(issues(EprescriptionDownloadInput.safeParse({ data: { epc_token: 'T' } }))).toMatch(/^data\.insuplc_admdvs:/);
  });

  test('a full reply is read; counts may be numbers or text; what the till does not use is dropped', () => {
    const out = EprescriptionDownloadOutput.parse({ ...download, data: { ...download.data, valid_days: '3', max_rept_cnt: null } });
    expect(out.data).toEqual({
      hi_rxno: 'HRX0001', fixmedins_code: 'H36010200001', fixmedins_name: '某医院', prsc_time: '2025-06-16 09:30:00',
      valid_days: 3, valid_end_time: '2025-06-18 23:59:59', rept_flag: '0', max_rept_cnt: null, reptd_cnt: 0,
    });
    expect(out.rxdrugdetail).toEqual([{ med_list_codg: 'XA01ABC123B001010100001', drug_genname: '阿莫西林胶囊', drug_spec: '0.25g*24粒' }]);
    expect(out.mdtrtinfo).not.toHaveProperty('patn_name');
    expect(EprescriptionDownloadOutput.parse({ ...download, diseinfo: undefined }).diseinfo).toEqual([]);
    // Parsing is a fixed point: what was accepted reads back the same.
    expect(EprescriptionDownloadOutput.parse(out)).toEqual(out);
  });

  test.each([
    ['no drug lines', { ...download, rxdrugdetail: [] }, /^rxdrugdetail:/],
    ['a line without a catalogue code', { ...download, rxdrugdetail: [{ drug_genname: 'x' }] }, /^rxdrugdetail\.0\.med_list_codg:/],
    ['no prescription number', { ...download, data: { ...download.data, hi_rxno: '' } }, /^data\.hi_rxno:/],
    ['an impossible issue time', { ...download, data: { ...download.data, prsc_time: '2025-02-30 09:00:00' } }, /^data\.prsc_time:/],
    ['a date-only validity end', { ...download, data: { ...download.data, valid_end_time: '2025-06-18' } }, /^data\.valid_end_time:/],
    ['negative validity days', { ...download, data: { ...download.data, valid_days: -1 } }, /^data\.valid_days:/],
    ['fractional reuse count', { ...download, data: { ...download.data, reptd_cnt: 1.5 } }, /^data\.reptd_cnt:/],
    ['no prescriber', { ...download, mdtrtinfo: { ...download.mdtrtinfo, prsc_dr_name: null } }, /^mdtrtinfo\.prsc_dr_name:/],
    ['no visit info at all', { ...download, mdtrtinfo: undefined }, /^mdtrtinfo:/],
    ['lines as an object', { ...download, rxdrugdetail: download.rxdrugdetail[0] }, /^rxdrugdetail:/],
    ['an over-long issuer code', { ...download, data: { ...download.data, fixmedins_code: 'X'.repeat(31) } }, /^data\.fixmedins_code:/],
  ])('refused: %s', (_what, reply, field) => {
    expect(issues(EprescriptionDownloadOutput.safeParse(reply))).toMatch(field);
  });

  test('property: random JSON never throws, and anything accepted has lines with catalogue codes', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const r = EprescriptionDownloadOutput.safeParse(value);
      if (r.success) expect(r.data.rxdrugdetail.every((d) => d.med_list_codg.length > 0)).toBe(true);
    }));
  });

  test('7201/7203 are in the table: neither moves money; 7203 names the insured division', () => {
    expect(TRANSACTIONS['7201']).toMatchObject({ mutating: false, personal: false });
    expect(TRANSACTIONS['7203']).toMatchObject({ mutating: false, personal: true });
  });
});

describe('the sandbox\'s training QRs', () => {
  const fixtures = TRAINING_CARDS.map((c) => c.fixtureId);
  const issuers = trainingInstitutions().map((i) => i.code);

  test('RX-<fixtureId>-<issuerCode>-<n>[-OLD], although both ids contain dashes', () => {
    expect(parseTrainingQr('RX-nanchang-active-TRAIN-H360102-L3-1', fixtures, issuers)).toEqual({ fixtureId: 'nanchang-active', issuerCode: 'TRAIN-H360102-L3', old: false });
    expect(parseTrainingQr('RX-chuxiong-long-name-TRAIN-H532301-L1-42-OLD', fixtures, issuers)).toEqual({ fixtureId: 'chuxiong-long-name', issuerCode: 'TRAIN-H532301-L1', old: true });
    expect(parseTrainingQr('RX-shiyan-active-TRAIN-H420302-NONDES-3', fixtures, issuers)).toMatchObject({ issuerCode: 'TRAIN-H420302-NONDES' });
  });

  test.each([
    'RX-nanchang-active-TRAIN-H360102-L3', 'RX-nanchang-active-TRAIN-H360102-L3-x', 'RX-nanchang-active-TRAIN-H360102-L3-1-old',
    'RX-nobody-TRAIN-H360102-L3-1', 'RX-nanchang-active-TRAIN-H360102-L9-1', 'rx-nanchang-active-TRAIN-H360102-L3-1',
    'RX--TRAIN-H360102-L3-1', 'RX-nanchang-active-TRAIN-H360102-L3-1234567', '',
  ])('not a training QR: %j', (qr) => {
    expect(parseTrainingQr(qr, fixtures, issuers)).toBeNull();
  });

  test('the prescription number is derived from the QR and fits the paper form (≤ 40 characters)', () => {
    expect(trainingRxNo('RX-a-b-1')).toBe(trainingRxNo('RX-a-b-1'));
    expect(trainingRxNo('RX-a-b-1')).not.toBe(trainingRxNo('RX-a-b-1-OLD'));
    expect(trainingRxNo('RX-a-b-1')).toMatch(/^HRX[0-9A-F]{20}$/);
  });
});
