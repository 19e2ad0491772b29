// Interface editions as data: every shipped profile parses, matches what public implementations
// restate (test/fixtures/editions/restated.json, independent of the profiles), and drives what the
// client sends — the fields the edition defines and nothing else.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CentreInputError, createCentreClient } from '../../../core/centre/client';
import { editionById, editionFromFile, editionIds } from '../../../core/centre/editions';
import national from '../../../core/centre/editions/national.json';
import { EditionError, type FieldMap, type MessageSpec } from '../../../core/centre/editions/schema';
import { checkWire, fromWire, toWire } from '../../../core/centre/editions/wire';
import { msgidGenerator } from '../../../core/centre/msgid';
import { type CentreTransport, type TransportRequest } from '../../../core/centre/port';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { isInfno } from '../../../core/centre/transactions';
import restated from '../../fixtures/editions/restated.json';

function fieldsAt(editionId: string, at: string): FieldMap {
  const edition = editionById(editionId);
  const parts = at.split('.');
  if (parts[0] === 'envelope') return edition.envelope[parts[1] as 'request' | 'response'];
  const tx = edition.transactions[parts[1]!];
  if (!tx) throw new Error(`${editionId} has no transaction ${parts[1]}`);
  let here: MessageSpec | { fields: FieldMap; nodes?: Record<string, unknown> } = (parts[2] === 'input' ? tx.input : tx.output) as MessageSpec;
  for (let i = 3; i < parts.length; i += 2) here = (here as MessageSpec).nodes![parts[i + 1]!] as MessageSpec;
  return (here as MessageSpec).fields ?? {};
}

/** A transport that answers 9001 and records everything else without delivering it. */
function recording() {
  const sent: TransportRequest[] = [];
  const transport: CentreTransport = {
    async send(request) {
      sent.push(request);
      if (request.envelope.infno === '9001') return { kind: 'json', body: { infcode: 0, output: { signinoutb: { sign_time: '2025-03-01 09:00:00', sign_no: 'SIGN1' } } } };
      return { kind: 'not_delivered', reason: 'recorded only' };
    },
  };
  return { transport, sent };
}

function clientFor(editionId: string, transport: CentreTransport, identity = TRAINING_IDENTITY) {
  const clock = () => new Date('2025-03-01T01:00:00Z');
  return createCentreClient({ transport, identity, clock, nextMsgid: msgidGenerator(identity.fixmedinsCode, clock), terminal: TRAINING_TERMINAL, edition: editionById(editionId) });
}

const SALE = {
  druginfo: {
    psn_no: 'PSN1', mdtrt_cert_type: '02' as const, mdtrt_cert_no: '420302198503120017', begntime: '2025-03-01 09:00:00',
    medfee_sumamt: '71.00', insutype: '310', med_type: '41', acct_used_flag: '1' as const,
  },
  drugdetail: [{ feedetl_sn: '1', rxno: 'RX1', rx_circ_flag: '1' as const, fee_ocur_time: '2025-03-01 09:00:00', med_list_codg: 'X', medins_list_codg: 'SKU', det_item_fee_sumamt: '71.00', cnt: '2', pric: '35.50' }],
};

describe('edition profiles', () => {
  test('every shipped edition parses and resolves, and names only transactions this app speaks', () => {
    expect(editionIds().sort()).toEqual(['jilin', 'national', 'shenzhen']);
    for (const id of editionIds()) {
      const edition = editionById(id);
      for (const infno of Object.keys(edition.transactions)) expect(isInfno(infno), `${id} ${infno}`).toBe(true);
      for (const tx of Object.values(edition.transactions)) expect(tx.source.length).toBeGreaterThan(3);
    }
  });

  test('each profile matches the field tables restated from public implementations', () => {
    for (const entry of restated.entries) {
      const fields = fieldsAt(entry.edition, entry.at);
      const expected = entry.fields as unknown as FieldMap;
      if (!entry.partial) expect(Object.keys(fields).sort(), `${entry.edition} ${entry.at} (${entry.source})`).toEqual(Object.keys(expected).sort());
      for (const [name, spec] of Object.entries(expected)) {
        expect(fields[name], `${entry.edition} ${entry.at}.${name} (${entry.source})`).toBeDefined();
        expect({ required: fields[name]!.required ?? false, max: fields[name]!.max }, `${entry.edition} ${entry.at}.${name} (${entry.source})`)
          .toEqual({ required: spec.required ?? false, max: spec.max });
      }
    }
    for (const s of restated.settings) {
      const edition = editionById(s.edition);
      expect({ path: edition.url.layout === 'single' ? edition.url.path : null, recerSysCode: edition.recerSysCode, infver: edition.infver, security: edition.security }, s.source)
        .toEqual({ path: s.path, recerSysCode: s.recerSysCode, infver: s.infver, security: s.security });
      for (const [infno, code] of Object.entries(s.codes)) expect(edition.transactions[infno]?.code, `${s.edition} ${infno}`).toBe(code);
    }
  });

  test('a typo in a profile is an error naming the key path', () => {
    const typo = structuredClone(national) as { transactions: Record<string, { input: { nodes: Record<string, { fields: Record<string, Record<string, unknown>> }> } }> };
    typo.transactions['2101']!.input.nodes['druginfo']!.fields['psn_no'] = { requird: true, max: 30 };
    expect(() => editionFromFile(typo, 'typo.json')).toThrow(EditionError);
    expect(() => editionFromFile(typo, 'typo.json')).toThrow('typo.json: transactions.2101.input.nodes.druginfo.fields.psn_no.requird: unknown key (a typo?)');
    expect(() => editionFromFile({ ...national, secutiry: 'plain' }, 'top.json')).toThrow('top.json: secutiry: unknown key');
    expect(() => editionFromFile({ ...national, id: 'x2', base: 'nowhere' }, 'b.json')).toThrow('base: no edition named "nowhere"');
    expect(() => editionFromFile({ ...national, id: 'x3', url: { layout: 'per-transaction' } }, 'p.json')).toThrow(/transactions\.\d{4}\.path: required with the per-transaction URL layout/);
  });
});

describe('messages built from the edition', () => {
  test('toWire keeps only defined fields, renames, and names missing or overlong ones', () => {
    const spec: MessageSpec = { nodes: { data: { kind: 'object', fields: { a: { required: true, max: 3 }, b: { from: 'bee' } } } } };
    expect(toWire(spec, { data: { a: 'xyz', bee: 'B', extra: 'dropped' }, other: {} })).toEqual({ message: { data: { a: 'xyz', b: 'B' } }, problems: [] });
    expect(toWire(spec, { data: { a: 'toolong' } }).problems).toEqual([{ path: 'input.data.a', problem: 'too_long', detail: '7 characters, at most 3' }]);
    expect(toWire(spec, { data: { a: '' } }).problems).toEqual([{ path: 'input.data.a', problem: 'missing', detail: 'required by the edition' }]);
    expect(checkWire(spec, { data: { a: 'x', c: 1 }, d: 2 }).map((p) => `${p.path}:${p.problem}`)).toEqual(['input.d:unknown', 'input.data.c:unknown']);
  });

  test('property: what toWire sends has no field the edition does not define, and reads back to the input\'s defined part', () => {
    const edition = editionById('shenzhen');
    const specs = Object.entries(edition.transactions).filter(([, tx]) => tx.input.nodes || tx.input.fields);
    const text = fc.string({ maxLength: 12 });
    fc.assert(fc.property(fc.constantFrom(...specs), fc.dictionary(fc.constantFrom('x_extra', 'foo', 'psn_no', 'data', 'druginfo', 'drugdetail'), text), fc.array(text, { maxLength: 3 }), ([, tx], extras, values) => {
      // An internal message: every field the edition names (some filled), plus keys it does not name.
      const internal: Record<string, unknown> = { ...extras };
      const fill = (fields: Record<string, { from?: string | undefined }>, target: Record<string, unknown>) => {
        Object.entries(fields).forEach(([name, f], i) => { const key = (f.from ?? name).split('.').pop()!; target[key] = values[i % Math.max(values.length, 1)] ?? 'v'; });
      };
      for (const [name, node] of Object.entries(tx.input.nodes ?? {})) {
        const row: Record<string, unknown> = { stray: 'S' };
        fill(node.fields, row);
        internal[node.from ?? name] = node.kind === 'array' ? [row, { ...row }] : row;
      }
      const flat: Record<string, unknown> = { stray: 'S' };
      fill(tx.input.fields ?? {}, flat);
      if (tx.input.fields) internal['data'] = { ...(typeof internal['data'] === 'object' ? internal['data'] as object : {}), ...flat };
      const { message } = toWire(tx.input, internal);
      expect(checkWire(tx.input, message).filter((p) => p.problem === 'unknown')).toEqual([]);
      expect(JSON.stringify(message)).not.toContain('stray');
      expect(toWire(tx.input, fromWire(tx.input, message) as Record<string, unknown>).message).toEqual(message);
    }), { numRuns: 300 });
  });

  test('the client never sends a field the edition does not define', async () => {
    const { transport, sent } = recording();
    const custom = structuredClone(national) as typeof national & { id: string };
    custom.id = 'no-invoice';
    delete (custom.transactions['2101'].input.nodes.druginfo.fields as Record<string, unknown>)['invono'];
    const clock = () => new Date('2025-03-01T01:00:00Z');
    const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, clock), terminal: TRAINING_TERMINAL, edition: editionFromFile(custom, 'custom.json') });
    await centre.preSettle({ ...SALE, druginfo: { ...SALE.druginfo, invono: 'INV-1' } }, { insuplcAdmdvs: '420300' });
    const input = sent.find((r) => r.envelope.infno === '2101')!.envelope.input as { druginfo: Record<string, unknown> };
    expect(input.druginfo).not.toHaveProperty('invono');
    expect(input.druginfo.psn_no).toBe('PSN1');
    expect(checkWire(editionById('national').transactions['2101']!.input, input).filter((p) => p.problem === 'unknown')).toEqual([]);
  });

  test('every edition: the envelope carries the edition\'s fields, code, path, infver and recer_sys_code', async () => {
    for (const id of editionIds()) {
      const edition = editionById(id);
      const { transport, sent } = recording();
      await clientFor(id, transport).preSettle(SALE, { insuplcAdmdvs: '420300' });
      for (const request of sent) {
        const { input: _input, ...head } = request.envelope;
        expect(checkWire({ fields: edition.envelope.request }, head, ''), `${id} ${request.envelope.infno}`).toEqual([]);
        expect(Object.keys(head).sort()).toEqual(Object.keys(edition.envelope.request).sort());
        expect(request.path).toBe(edition.url.layout === 'single' ? edition.url.path : undefined);
        expect(head).toMatchObject({ infver: edition.infver, recer_sys_code: edition.recerSysCode });
      }
      expect(sent.map((r) => r.envelope.infno)).toEqual(['9001', edition.transactions['2101']!.code]);
      if (id === 'jilin') expect(sent[0]!.envelope).toMatchObject({ enc_type: 'SM4', recer_sys_code: 'sys01' });
    }
  });

  test('an edition\'s missing required field or overlong value is refused before anything is sent', async () => {
    const { transport, sent } = recording();
    const centre = clientFor('shenzhen', transport);
    // Shenzhen requires the channel and terminal fields of 7201 and allows a 27-character QR (S1 In7201).
    await expect(centre.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-nanchang-active-TRAIN-H360102-L3-1' } })).rejects.toThrow(CentreInputError);
    await expect(centre.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-nanchang-active-TRAIN-H360102-L3-1' } })).rejects.toThrow(/input\.app_chnl_id: required by the edition.*input\.epc_qrcd: 37 characters, at most 27/);
    expect(sent).toEqual([]);
    const long = clientFor('shenzhen', transport, { ...TRAINING_IDENTITY, fixmedinsName: '一个名字超过二十个字的定点零售药店连锁有限公司第一分店' });
    await expect(long.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: 'X' } })).rejects.toThrow('envelope: fixmedins_name: 27 characters, at most 20');
    // The flat Shenzhen 7201 input, filled: fields at the top of input, none under data.
    await clientFor('shenzhen', transport).decodeEprescriptionQr({ data: { epc_qrcd: 'Q'.repeat(27), app_chnl_id: 'C', app_chnl_user_id: 'U', dev_info: 'D', ip_info: '127.0.0.1', opter: 'O', opter_name: 'N', optins: 'I' } });
    const flat = sent.find((r) => r.envelope.infno === '7201')!.envelope.input;
    expect(flat).toMatchObject({ epc_qrcd: 'Q'.repeat(27), app_chnl_id: 'C' });
    expect(flat).not.toHaveProperty('data');
    await clientFor('shenzhen', transport).downloadEprescription({ data: { epc_token: 'T'.repeat(40), insuplc_admdvs: '440300' } });
    const download = sent.find((r) => r.envelope.infno === '7203')!.envelope.input;
    expect(download).toEqual({ epc_token: 'T'.repeat(40), auth_rxno: '', insuplc_admdvs: '440300' });
    for (const infno of ['7201', '7203']) {
      expect(checkWire(editionById('shenzhen').transactions[infno]!.input, sent.find((r) => r.envelope.infno === infno)!.envelope.input), infno).toEqual([]);
    }
  });
});
