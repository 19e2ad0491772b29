// The 1101 identity input, redaction for logs, resident ID check characters, and the training cards'
// own validity (the sandbox seeds people from them).
import { describe, expect, test } from 'vitest';
import { type CardholderRecord, identityInput1101, redactCardholder, redactIdNumber, redactName } from '../../../core/card/cardholder';
import { isResidentIdNumber, residentIdCheckChar } from '../../../core/card/resident-id';
import { TRAINING_CARDS, trainingCard } from '../../../native/reader-sim/training-cards';

const holder: CardholderRecord = {
  cardId: '420300D1560000055445535430303031', region: '420300', cardType: '1', version: '2.00', generation: 2,
  initOrg: '420300000001', issuedOn: '2018-04-02', expiresOn: '2028-04-01', cardNo: 'T42030001',
  ssn: '420302198503120017', name: '测试甲', sex: '1', nation: '01', birthPlace: '420302', birthDate: '1985-03-12', atr: '3B6D0000',
};

describe('1101 identity input', () => {
  test('certificate type 03 with card number and card_sn', () => {
    expect(identityInput1101(holder)).toEqual({
      mdtrt_cert_type: '03', mdtrt_cert_no: 'T42030001', card_sn: '420300D1560000055445535430303031',
      psn_cert_type: '01', certno: '420302198503120017', psn_name: '测试甲',
    });
  });

  test('an SSN that is not a valid resident ID gets no certificate type', () => {
    expect(identityInput1101({ ...holder, ssn: '420302198503120018' }).psn_cert_type).toBe('');
  });
});

describe('redaction', () => {
  test('names keep the surname, ID numbers the area and last four', () => {
    expect(redactName('测试甲')).toBe('测**');
    expect(redactName('测')).toBe('测*');
    expect(redactIdNumber('36010219920708002X')).toBe('360102********002X');
    const r = redactCardholder(holder);
    expect(JSON.stringify(r)).not.toMatch(/测试甲|420302198503120017|1985-03-12/);
    expect(r.cardNo).toBe(holder.cardNo);
  });
});

describe('resident ID numbers', () => {
  test('ISO 7064 MOD 11-2 check character', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
    expect(isResidentIdNumber('110105194912310021')).toBe(false);
    expect(() => residentIdCheckChar('1234')).toThrow(/17 digits/);
  });
});

describe('training cards', () => {
  test('stable, unique fixture ids, every seed region, both generations, every sandbox scenario', () => {
    const ids = TRAINING_CARDS.map((c) => c.fixtureId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(new Set(TRAINING_CARDS.map((c) => c.seedRegion))).toEqual(new Set(['420300', '360100', '140500', '500000', '532300']));
    expect(new Set(TRAINING_CARDS.map((c) => c.generation))).toEqual(new Set([2, 3]));
    expect(new Set(TRAINING_CARDS.map((c) => c.scenario))).toEqual(new Set(['active', 'retired', 'near-annual-cap', 'inpatient', 'suspended']));
    for (const region of ['420300', '360100', '140500', '500000', '532300']) {
      expect(TRAINING_CARDS.some((c) => c.seedRegion === region && c.scenario === 'active')).toBe(true);
    }
    expect(trainingCard('shiyan-active').profile.name).toBe('测试甲');
    expect(() => trainingCard('nobody')).toThrow(/no training card "nobody"; known: shiyan-active/);
  });

  test.each(TRAINING_CARDS.map((c) => [c.fixtureId, c] as const))('%s is fictional but valid', (_id, card) => {
    const p = card.profile;
    expect(p.name).toMatch(/^测试/);
    expect(isResidentIdNumber(p.ssn)).toBe(true);
    expect(p.ssn.slice(6, 14)).toBe(p.birthDate.replace(/-/g, ''));
    expect(Number(p.ssn[16]) % 2 === 1 ? '1' : '2').toBe(p.sex);
    expect(p.ssn.slice(0, 6)).toBe(p.birthPlace);
    expect(new Date(p.birthDate).getTime()).toBeLessThan(Date.now());
    expect(new Date(p.expiresOn).getTime()).toBeGreaterThan(new Date(p.issuedOn).getTime());
    expect(card.cardId).toMatch(/^\d{6}D156000005[0-9A-F]{16}$/);
    expect(card.cardId.slice(0, 6)).toBe(p.region);
    expect(p.region.slice(0, 3)).toBe(card.seedRegion.slice(0, 3));
    expect(p.cardNo).toHaveLength(9);
    expect(card.generation).toBe(p.version === '3.00' ? 3 : 2);
  });
});
