// Training cards: fictional holders for the virtual reader (training mode, `npm run serve` without a
// real reader) and for the sandbox insurance centre, which seeds one person per `fixtureId`
// (`scenario` tells it which insurance status to give them). Names are obviously fictional (测试…);
// ID numbers are syntactically valid (GB 11643 check character, past birth dates, sex parity) but
// made up. Region codes: 十堰 420300, 南昌 360100, 晋城 140500, 重庆 500000 (and district 500103),
// 楚雄 532300. Card serials spell "TEST00nn" in hex.
//
// Stable interface (the sandbox helper imports it): TRAINING_CARDS, TrainingCard, trainingCard().
import { type CardProfile, cardIdOf, SsseCard } from './card-model';

export type TrainingScenario = 'active' | 'retired' | 'near-annual-cap' | 'inpatient' | 'suspended';

export interface TrainingCard {
  /** Stable key, e.g. 'shiyan-active'. Never renamed: the sandbox seeds people by it. */
  readonly fixtureId: string;
  /** For the training UI's card picker. */
  readonly label: string;
  /** Seed region of the policy the holder is insured under. */
  readonly seedRegion: '420300' | '360100' | '140500' | '500000' | '532300';
  readonly scenario: TrainingScenario;
  readonly generation: 2 | 3;
  /** 卡识别码 as the card reports it (card_sn). */
  readonly cardId: string;
  readonly profile: CardProfile;
}

const serial = (n: number): string => Array.from(`TEST${String(n).padStart(4, '0')}`, (c) => c.charCodeAt(0).toString(16)).join('').toUpperCase();

function card(fixtureId: string, label: string, seedRegion: TrainingCard['seedRegion'], scenario: TrainingScenario, n: number,
  profile: Omit<CardProfile, 'chipSerial' | 'cardType' | 'initOrg'>): TrainingCard {
  const full: CardProfile = { chipSerial: serial(n), cardType: '1', initOrg: `${profile.region}0000${String(n).padStart(2, '0')}`, ...profile };
  return { fixtureId, label, seedRegion, scenario, generation: profile.version.startsWith('3') ? 3 : 2, cardId: cardIdOf(full), profile: full };
}

export const TRAINING_CARDS: readonly TrainingCard[] = [
  card('shiyan-active', '十堰 · 在职 · 二代卡', '420300', 'active', 1, {
    region: '420300', version: '2.00', issuedOn: '2018-04-02', expiresOn: '2028-04-01', cardNo: 'T42030001',
    ssn: '420302198503120017', name: '测试甲', sex: '1', nation: '01', birthPlace: '420302', birthDate: '1985-03-12',
  }),
  card('nanchang-active', '南昌 · 在职 · 三代卡', '360100', 'active', 2, {
    region: '360100', version: '3.00', issuedOn: '2022-09-15', expiresOn: '2032-09-14', cardNo: 'T36010002',
    ssn: '36010219920708002X', name: '测试乙', sex: '2', nation: '01', birthPlace: '360102', birthDate: '1992-07-08',
  }),
  card('jincheng-active', '晋城 · 在职 · 二代卡', '140500', 'active', 3, {
    region: '140500', version: '2.00', issuedOn: '2019-06-20', expiresOn: '2029-06-19', cardNo: 'T14050003',
    ssn: '140502197811300035', name: '测试丙', sex: '1', nation: '01', birthPlace: '140502', birthDate: '1978-11-30',
  }),
  card('chongqing-active', '重庆 · 在职 · 二代卡', '500000', 'active', 4, {
    region: '500000', version: '2.00', issuedOn: '2019-01-10', expiresOn: '2029-01-09', cardNo: 'T50000004',
    ssn: '500103198801250042', name: '测试丁', sex: '2', nation: '01', birthPlace: '500103', birthDate: '1988-01-25',
  }),
  // An older 1.00 card: no 4E record (6A83) and an unpadded name record (6Cxx on the standard Le).
  card('chuxiong-active', '楚雄 · 在职 · 二代卡(1.00)', '532300', 'active', 5, {
    region: '532300', version: '1.00', issuedOn: '2015-05-06', expiresOn: '2035-05-05', cardNo: 'T53230005',
    ssn: '532301196905170051', name: '测试戊', sex: '1', nation: '07', birthPlace: '532301', birthDate: '1969-05-17', unpaddedName: true,
  }),
  card('chuxiong-long-name', '楚雄 · 在职 · 长姓名(4E)', '532300', 'active', 10, {
    region: '532300', version: '2.00', issuedOn: '2020-03-03', expiresOn: '2030-03-02', cardNo: 'T53230010',
    ssn: '532301199504100013', name: '测试长名甲乙丙丁戊己庚辛壬癸子丑', sex: '1', nation: '07', birthPlace: '532301', birthDate: '1995-04-10',
  }),
  card('shiyan-retired', '十堰 · 退休 · 二代卡', '420300', 'retired', 6, {
    region: '420300', version: '2.00', issuedOn: '2021-08-08', expiresOn: '2031-08-07', cardNo: 'T42030006',
    ssn: '420302195609030067', name: '测试己', sex: '2', nation: '01', birthPlace: '420302', birthDate: '1956-09-03',
  }),
  card('nanchang-near-cap', '南昌 · 接近年度限额 · 二代卡', '360100', 'near-annual-cap', 7, {
    region: '360100', version: '2.00', issuedOn: '2019-11-11', expiresOn: '2029-11-10', cardNo: 'T36010007',
    ssn: '360102197502140073', name: '测试庚', sex: '1', nation: '01', birthPlace: '360102', birthDate: '1975-02-14',
  }),
  card('jincheng-inpatient', '晋城 · 住院中 · 三代卡', '140500', 'inpatient', 8, {
    region: '140500', version: '3.00', issuedOn: '2023-02-01', expiresOn: '2033-01-31', cardNo: 'T14050008',
    ssn: '140502196012010088', name: '测试辛', sex: '2', nation: '01', birthPlace: '140502', birthDate: '1960-12-01',
  }),
  card('chongqing-suspended', '重庆(渝中区) · 暂停参保 · 二代卡', '500000', 'suspended', 9, {
    region: '500103', version: '2.00', issuedOn: '2020-07-07', expiresOn: '2030-07-06', cardNo: 'T50010309',
    ssn: '500112199006210093', name: '测试壬', sex: '1', nation: '01', birthPlace: '500112', birthDate: '1990-06-21',
  }),
];

export function trainingCard(fixtureId: string): TrainingCard {
  const found = TRAINING_CARDS.find((c) => c.fixtureId === fixtureId);
  if (!found) throw new Error(`no training card ${JSON.stringify(fixtureId)}; known: ${TRAINING_CARDS.map((c) => c.fixtureId).join(', ')}`);
  return found;
}

/** A fresh simulated card for a fixture (cards keep selection state, so never share one). */
export function simCardFor(card: TrainingCard): SsseCard {
  return new SsseCard(card.profile, card.fixtureId);
}
