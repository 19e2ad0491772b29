// The SSSE card application over an ApduPort: against the simulated card model (a real card
// implementation, no transport), and against scripted answers for the status words a model card
// does not produce.
import { describe, expect, test } from 'vitest';
import { readRecord } from '../../../core/card/apdu';
import { fromHex, toHex } from '../../../core/card/bytes';
import { SSSE_RECORDS } from '../../../core/card/records';
import { CardError } from '../../../core/card/errors';
import { type ApduPort, readSsseCard, transmit } from '../../../core/card/read-card';
import { ForeignCpuCard, type SimCard, SsseCard } from '../../../native/reader-sim/card-model';
import { simCardFor, TRAINING_CARDS, trainingCard } from '../../../native/reader-sim/training-cards';

function portFor(card: SimCard, unlocked = false): { port: ApduPort; sent: string[] } {
  card.reset(unlocked);
  const sent: string[] = [];
  return { sent, port: async (apdu) => { sent.push(toHex(apdu)); return card.process(apdu); } };
}

async function failure(promise: Promise<unknown>): Promise<CardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CardError) return error;
    throw error;
  }
  throw new Error('expected the read to fail');
}

/** Answers the SSSE sequence from a table "C-APDU hex → R-APDU hex"; anything else is a test bug. */
function scripted(answers: Record<string, string | (() => string)>): ApduPort {
  return async (apdu) => {
    const answer = answers[toHex(apdu)];
    if (answer === undefined) throw new Error(`unscripted APDU ${toHex(apdu)}`);
    return fromHex(typeof answer === 'function' ? answer() : answer);
  };
}

describe('readSsseCard against the card model', () => {
  test.each(TRAINING_CARDS.map((c) => [c.fixtureId, c] as const))('%s decodes to its fixture (PSAM unlocked)', async (_id, card) => {
    const sim = simCardFor(card);
    const { holder } = await readSsseCard(portFor(sim, true).port, sim.atr());
    const p = card.profile;
    expect(holder).toEqual({
      cardId: card.cardId, region: p.region, cardType: p.cardType, version: p.version, generation: card.generation,
      initOrg: p.initOrg, issuedOn: p.issuedOn, expiresOn: p.expiresOn, cardNo: p.cardNo, ssn: p.ssn, name: p.name,
      sex: p.sex, nation: p.nation, birthPlace: p.birthPlace, birthDate: p.birthDate, atr: toHex(sim.atr()),
    });
  });

  test('the APDU sequence is the spec one: SELECT by name, GET RESPONSE, EF05 01..07, EF06 08 09 4E 0A..0D', async () => {
    const sim = simCardFor(trainingCard('shiyan-active'));
    const { port, sent } = portFor(sim);
    const { fci } = await readSsseCard(port, sim.atr());
    expect(sent).toEqual([
      '00A404000F7378312E73682EC9E7BBE1B1A3D5CF', '00C000001B', '00A4020002EF05',
      '00B2010412', '00B2020403', '00B2030406', '00B204040E', '00B2050406', '00B2060406', '00B207040B',
      '00A4020002EF06', '00B2080414', '00B2090420', '00B24E0416', '00B20A0403', '00B20B0403', '00B20C0405', '00B20D0406',
    ]);
    expect(fci).toMatch(/^6F19840F7378312E73682EC9E7BBE1B1A3D5CF/);
  });

  test('3rd generation, no PSAM: PSAM_REQUIRED at the first protected record', async () => {
    const sim = simCardFor(trainingCard('jincheng-inpatient'));
    const error = await failure(readSsseCard(portFor(sim, false).port, sim.atr()));
    expect(error.code).toBe('PSAM_REQUIRED');
    expect(error.message).toMatch(/READ RECORD 05 .*6982.*3rd-generation card \(3\.00\)/);
  });

  test('a card without the SSSE application: NOT_SSCARD', async () => {
    const error = await failure(readSsseCard(portFor(new ForeignCpuCard()).port, new Uint8Array(2)));
    expect(error.code).toBe('NOT_SSCARD');
    expect(error.message).toMatch(/SELECT SSSE application: SW 6A82/);
  });

  test('a transport failure mid-read propagates unchanged and no holder escapes', async () => {
    const sim = new SsseCard(trainingCard('shiyan-active').profile);
    sim.reset(false);
    let calls = 0;
    const port: ApduPort = async (apdu) => {
      if (++calls === 12) throw new CardError('CARD_REMOVED', 'reader answered E61');
      return sim.process(apdu);
    };
    const error = await failure(readSsseCard(port, sim.atr()));
    expect(error.code).toBe('CARD_REMOVED');
  });
});

describe('status words from scripted answers', () => {
  const SELECT = '00A404000F7378312E73682EC9E7BBE1B1A3D5CF';

  test('61xx chains are followed (bounded), 6Cxx is resent once with the offered Le', async () => {
    const answers = scripted({ '00B2070409': '6C0B', '00B207040B': '0709413030303030303031 9000' });
    expect(toHex((await transmit(answers, fromHex('00B2070409'))).data)).toBe('0709413030303030303031');
    const chain = scripted({ [SELECT]: '6104', '00C0000004': '6F02 8400 6102', '00C0000002': 'A500 9000' });
    expect(toHex((await transmit(chain, fromHex(SELECT))).data)).toBe('6F028400A500');
    const forever = scripted({ [SELECT]: '6101', '00C0000001': '00 6101' });
    expect((await failure(transmit(forever, fromHex(SELECT)))).message).toMatch(/kept answering 61xx/);
  });

  test('an unexpected status word is NOT_SSCARD naming the command and the SW', async () => {
    const port = scripted({ [SELECT]: '9000', '00A4020002EF05': '9000', '00B2010412': '6985' });
    const error = await failure(readSsseCard(port, new Uint8Array(2)));
    expect(error.code).toBe('NOT_SSCARD');
    expect(error.message).toMatch(/READ RECORD 01 .* SW 6985 \(conditions of use not satisfied\)/);
  });

  test('a reply of another record, or a bare 9000 (a late duplicate), is a link fault, never data', async () => {
    const shifted = scripted({ [SELECT]: '9000', '00A4020002EF05': '9000', '00B2010412': '0210' + '00'.repeat(16) + '9000' });
    const error = await failure(readSsseCard(shifted, new Uint8Array(2)));
    expect(error.code).toBe('LINK_CHECKSUM');
    expect(error.message).toMatch(/READ RECORD 01 .*: reply out of step \(record 02\)/);
    const bare = scripted({ [SELECT]: '9000', '00A4020002EF05': '9000', '00B2010412': '9000' });
    expect((await failure(readSsseCard(bare, new Uint8Array(2)))).message).toMatch(/out of step \(no record\)/);
  });

  test('a required record absent (6A83 on 07) is NOT_SSCARD; a reply without SW is LINK_CHECKSUM', async () => {
    const answers: Record<string, string> = { [SELECT]: '9000', '00A4020002EF05': '9000', '00A4020002EF06': '9000' };
    for (const r of SSSE_RECORDS) answers[toHex(readRecord(r.tag, r.length + 2))] = '6A83';
    answers[toHex(readRecord(0x01, 0x12))] = '0110330100D156000005A1B2C3D4E5F60718 9000';
    answers[toHex(readRecord(0x03, 0x06))] = '0304322E3030 9000';
    const error = await failure(readSsseCard(scripted(answers), new Uint8Array(2)));
    expect(error.code).toBe('NOT_SSCARD');
    expect(error.message).toMatch(/record 07 \(卡号 card number\): required record is absent/);
    expect((await failure(transmit(scripted({ [SELECT]: '90' }), fromHex(SELECT)))).code).toBe('LINK_CHECKSUM');
  });
});
