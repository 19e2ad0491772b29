// Fuzzing every API request schema in core/contracts/*: random JSON and single mutations of valid
// bodies. A schema must never throw (only refuse), must refuse unknown fields, must name the field it
// refuses (the API's 400 says `body field lines.0.qty: …`), and what it accepts must be stable when
// parsed again (the normalised form is a fixed point). Bounded: a few hundred cases per schema.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type z } from 'zod';
import * as auth from '../../../core/contracts/auth';
import * as checkout from '../../../core/contracts/checkout';
import * as headoffice from '../../../core/contracts/headoffice';
import * as reconciliation from '../../../core/contracts/reconciliation';
import * as technician from '../../../core/contracts/technician';
import { validationError } from '../../../electron/backend/http/errors';
import { hostileJson, mutationOf, type Path } from './mutate';

const RUNS = 250;

/** Request bodies and queries: the exports named …Request/…Query, and the bodies the technician PUTs. */
const contractModules: Record<string, Record<string, unknown>> = { auth, checkout, headoffice, reconciliation, technician };
const BODY_SCHEMAS = new Set(['ReaderSettings', 'SkuMapping', 'CentreSettings', 'StoreSettings']);
const requestSchemas = Object.entries(contractModules).flatMap(([file, mod]) => Object.entries(mod)
  .filter(([name, value]) => (/(Request|Query)$/.test(name) || BODY_SCHEMAS.has(name)) && typeof (value as z.ZodType)?.safeParse === 'function')
  .map(([name, value]) => ({ name: `${file}.${name}`, schema: value as z.ZodType })));

/** Valid examples, at least one per request schema (a new schema without one fails the first test). */
const EXAMPLES: Record<string, unknown[]> = {
  'auth.LoginRequest': [{ operatorId: '1001', pin: '1111' }],
  'auth.ChangePinRequest': [{ currentPin: '1111', newPin: '5678' }],
  'auth.CreatePosTokenRequest': [{ name: '前台POS' }],
  'auth.CreateOperatorRequest': [{ operatorId: '1002', name: '收银员乙', role: 'cashier', pin: '123456' }],
  'checkout.IdentifyRequest': [{ method: 'card' }, { method: 'voucher', token: 'ecToken-0123456789' }, { method: 'idNumber', idNumber: '36010219920708002X' }],
  'checkout.PrescriptionRequest': [{ issuerCode: 'TRAIN-H360102-L1', rxNo: 'RX0001', issuedOn: '2026-11-23', prescriber: '王医生', prescriberCode: 'DR-H360102-L1', items: ['TRAIN-D-B01', 'TRAIN-D-A01'] }],
  'checkout.ScannedPrescriptionRequest': [{ scanned: 'RX-nanchang-active-TRAIN-H360102-L3-1' }, { scanned: '0123456789ABCDEFGHIJKLMNOPQ' }],
  'checkout.BasketLineRequest': [{ sku: '6901000000035', name: '乙类口服药', qty: '2', price: '35.50', traceCodes: ['80000000000000000101', '80000000000000000102'] }],
  'checkout.DownloadedPrescriptionRequest': [{ authRxno: 'AUTH20261203000001' }],
  'checkout.EprescriptionReviewRequest': [{ approved: true, opinion: '处方合理，同意调配' }, { approved: false, opinion: '剂量超出说明书，请医生确认' }],
  'checkout.BasketRequest': [{
    lines: [
      { sku: '6901000000035', name: '乙类口服药', qty: '2', price: '35.50', traceCodes: ['80000000000000000101', '80000000000000000102'] },
      { sku: '6901000000011', name: '甲类药', qty: '0.5', price: '12.3', split: true, traceCodes: ['80000000000000000103'], kind: 'drug' },
      { sku: '6901000000080', name: '口罩', qty: '1', price: '9.90', kind: 'other' },
    ],
  }],
  'checkout.PresettleRequest': [{ useAccount: true }, {}],
  'checkout.SettleRequest': [{ useAccount: false, acceptSelfPay: true }],
  'checkout.RefundRequest': [{ reason: '顾客退货' }],
  'checkout.SaleListQuery': [{ date: '2026-11-23', state: 'settled' }],
  'checkout.StoreSettings': [{ riskLimits: { perSaleFund: '200.00', perDayFund: '2000.00', perPersonSalesPerDay: 1, maxPersonDataAgeDays: 30 }, rxValidityDays: { default: 3, byRegion: { 360100: 5 } } }],
  'technician.ReaderSettings': [{ model: 'reference-serial', port: '/dev/ttyUSB0', baud: 38400 }, { model: 'virtual' }],
  'technician.SkuMapping': [{ sku: '6901000000011', catalogueCode: 'TRAIN-D-A01', note: '培训' }],
  'technician.CatalogueDownloadRequest': [{}, { infnos: ['1301'], dictionaries: ['chrgitm_lv'] }, { infnos: [], dictionaries: [], queries: ['1319'] }],
  'technician.CentreSettings': [{ mode: 'http', url: 'http://127.0.0.1:17660/fsi/api/rsfComIfsService/callService', institutionCode: 'P42030200001', institutionName: '示例药店', areaCode: '420302', timeoutMs: 3000 }],
  'headoffice.HeadOfficeDaysQuery': [{ date: '2026-12-01' }],
  'headoffice.HeadOfficeExportQuery': [{ from: '2026-11-01', to: '2026-11-30' }],
  'headoffice.PublishPolicyRequest': [{ packageText: '{"package":{},"signature":"AA=="}', scope: null }, { packageText: '{}', scope: 'H36010200001' }],
  'headoffice.PublishMappingRequest': [{ sku: '6901000000011', catalogueCode: 'TRAIN-D-A01', note: '总部调整', scope: null }, { sku: '6901000000035', catalogueCode: 'TRAIN-D-B01', scope: 'H36010200002' }],
  'reconciliation.CloseDayRequest': [{ acknowledgeUnbalanced: true, note: '中心对账不平，已电话确认' }, {}],
  'reconciliation.ResolveRequest': [{ action: 'write_off', reason: '盘点差异核销' }, { action: 'reverse_at_centre' }],
  'reconciliation.DiscrepancyQuery': [{ date: '2026-11-23', status: 'open' }, { from: '2026-11-01', to: '2026-11-30' }],
  'reconciliation.RangeQuery': [{ from: '2026-11-01', to: '2026-11-30' }],
  'reconciliation.ExportQuery': [{ from: '2026-11-01', to: '2026-11-30', format: 'xlsx' }],
};

/** Objects in a body that are maps (z.record), where a new key is data, not an unknown field; and the keys they take. */
const RECORDS: Record<string, Record<string, RegExp>> = {
  'checkout.StoreSettings': { 'rxValidityDays.byRegion': /^\d{6}$/ },
};

/** Whether a refusal points at the mutated place: an issue on the path, inside it, or on its object. */
function namesTheField(error: z.ZodError, path: Path, addedKey?: string): boolean {
  return error.issues.some((issue) => {
    const at = issue.path.map(String);
    const target = path.map(String);
    if (addedKey !== undefined && issue.code === 'unrecognized_keys') return at.join('.') === target.join('.') && (issue as { keys: string[] }).keys.includes(addedKey);
    const n = Math.min(at.length, target.length);
    // Unions and cross-field checks may report at the enclosing object (e.g. the discriminator).
    return n > 0 ? at.slice(0, n).join('.') === target.slice(0, n).join('.') : target.length <= 1;
  });
}

test('every request schema in core/contracts has a valid example here', () => {
  expect(requestSchemas.length).toBeGreaterThanOrEqual(15);
  const missing = requestSchemas.map((s) => s.name).filter((name) => !EXAMPLES[name]);
  expect(missing, 'add a valid example for each new request schema to EXAMPLES').toEqual([]);
});

describe.each(requestSchemas)('$name', ({ name, schema }) => {
  const examples = EXAMPLES[name] ?? [];

  test('its examples are valid, and parsing is a fixed point', () => {
    for (const example of examples) {
      const first = schema.safeParse(example);
      expect(first.success, JSON.stringify(first.error?.issues)).toBe(true);
      expect(schema.parse(first.data)).toEqual(first.data);
    }
  });

  test('random JSON never throws; a refusal names a field the API can report', () => {
    fc.assert(fc.property(hostileJson, (value) => {
      const result = schema.safeParse(value);
      if (result.success) {
        expect(schema.parse(result.data)).toEqual(result.data);
        return;
      }
      const error = validationError('body', result.error);
      expect(error.statusCode).toBe(400);
      expect(error.field).toBeTruthy();
      expect(error.message).toMatch(new RegExp(`^body field ${escape(error.field!)}: \\S`));
    }), { numRuns: RUNS });
  });

  test('one mutation of a valid example: never throws, an unknown field is refused, a refusal names the mutated field', () => {
    for (const example of examples) {
      fc.assert(fc.property(mutationOf(example), ({ doc, mutation }) => {
        const result = schema.safeParse(doc);
        const recordKey = mutation.kind === 'add' ? RECORDS[name]?.[mutation.path.join('.')] : undefined;
        if (mutation.kind === 'add' && recordKey && result.success) {
          // A map takes a new key only if it is a valid key; anything else (even "__proto__") is not kept.
          const map = mutation.path.reduce<any>((node, step) => node[step], result.data);
          expect(!Object.prototype.hasOwnProperty.call(map, mutation.key!) || recordKey.test(mutation.key!), JSON.stringify(mutation)).toBe(true);
        } else if (mutation.kind === 'add') {
          // Every request schema is strict: a field the API does not know is refused, by name.
          expect(result.success).toBe(false);
        }
        if (result.success) {
          expect(schema.parse(result.data)).toEqual(result.data);
          return;
        }
        if (mutation.kind !== 'root') expect(namesTheField(result.error, mutation.path, mutation.key), JSON.stringify({ mutation, issues: result.error.issues })).toBe(true);
          const error = validationError('body', result.error);
        expect(error.field).toBeTruthy();
      }), { numRuns: RUNS });
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
