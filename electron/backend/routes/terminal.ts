// Terminal status, training controls, and the technician's bench (reader, SKU mapping, policies,
// centre connection).
import { z } from 'zod';
import { EprescriptionRevocation } from '../../../core/centre/tx/eprescription';
import { StatusView } from '../../../core/contracts/status';
import {
  CENTRE_SECRET_NAMES, CentreOnlineTest, CentreSecretInput, CentreSecretsView, CentreSettings, EditionChoice, LibraryTest, type PolicyParameterView, ReaderDiscovery, PolicyUpdateReport, PolicyVersionView, PortList, ReaderSettings, SelfTestResult, SkuMapping, SkuMappingView,
} from '../../../core/contracts/technician';
import { redactIdNumber } from '../../../core/card/cardholder';
import { traceRows } from '../reader-trace-rows';
import { discoverReaders, testLibrary } from '../reader-discovery';
import { type TraceEvent } from '../../../core/reader/trace';
import { listPorts } from '../../../native/serial/list';
import { saveReaderSettings, loadReaderSettings } from '../../../native/serial/settings';
import { TRAINING_CARDS } from '../../../native/reader-sim/training-cards';
import { parameterRows } from '../../../core/policy/provenance';
import { selectVersion } from '../../../core/policy/select';
import { businessDate } from '../../../core/checkout/business-date';
import { ApiError } from '../http/errors';
import { type EventBus } from '../http/events';
import { route } from '../http/routes';
import { EditionError, supportedSecurityModes } from '../../../core/centre/editions/schema';
import { importEdition } from '../../../native/centre/edition-files';
import { keepLedgerPassword, LedgerPasswordError, maskLedgerUrl } from '../../../core/ledger/url';
import { CentreKeyError, hasSecret, writeSecret } from '../../../native/centre/security/keys';
import { availableEditions, editionAndSecurity } from '../centre-connection';
import { mappingVerdict, mappingView } from '../catalogue';
import { CENTRE_SETTINGS_KEY, DEFAULT_STORE_SETTINGS, STORE_SETTINGS_KEY, type Runtime } from '../runtime';
import { StoreSettings } from '../../../core/contracts/checkout';

const ANY = ['cashier', 'manager', 'technician'] as const;

function sourceText(citeAs: string, source: { from: string; article?: string; note?: string } | undefined, why: string | undefined): string {
  if (source?.from === 'document') return `${citeAs} ${source.article ?? ''}`.trim();
  if (source?.from === 'product-rule') return `系统规则：${source.note ?? ''}`;
  return why ? `未知：${why}` : '未知';
}
const TECH = ['technician', 'manager'] as const;
const Ok = z.object({ ok: z.literal(true) });

export function terminalRoutes(rt: Runtime, bus: EventBus) {
  const publishStatus = (): void => bus.publish('status', rt.status());
  return [
    route({
      method: 'GET', path: '/api/status', tag: 'terminal', summary: 'Online/offline, sync queue, training mode, reader', roles: [...ANY, 'headoffice'],
      response: StatusView, handler: async () => rt.status(),
    }),
    // ── training mode ──
    route({
      method: 'POST', path: '/api/training/centre', tag: 'training', summary: 'Training: take the sandbox centre offline or back online', roles: ANY,
      body: z.object({ online: z.boolean() }).strict(), response: StatusView,
      handler: async ({ body }) => {
        if (!rt.network) throw new ApiError(409, 'NOT_TRAINING', '只有培训模式（沙箱医保中心）可以切换联网状态');
        rt.network.setOffline(!body.online);
        if (body.online) {
          rt.checkout.centreAnswered();
          rt.sync.kick({ force: true });
        }
        publishStatus();
        return rt.status();
      },
    }),
    route({
      method: 'POST', path: '/api/training/eprescription-revocation', tag: 'training',
      summary: 'Training: the prescribing hospital revokes an e-prescription at the sandbox centre (7104 电子处方撤销 fields, S1 YG7104.cs)', roles: ['manager', 'technician'],
      body: EprescriptionRevocation, response: z.object({ hi_rxno: z.string(), revoked_at: z.string() }),
      handler: async ({ body }) => {
        if (!rt.sandbox) throw new ApiError(409, 'NOT_TRAINING', '只有培训模式（沙箱医保中心）可以模拟医院撤销处方');
        try { return rt.sandbox.centre.revokeEprescription(body); } catch (error) {
          if (error instanceof Error && /不存在/.test(error.message)) throw new ApiError(404, 'RX_NOT_FOUND', error.message, 'hi_rxno');
          throw error;
        }
      },
    }),
    route({
      method: 'GET', path: '/api/training/cards', tag: 'training', summary: 'Training cards the virtual reader can present', roles: ANY,
      response: z.array(z.object({ fixtureId: z.string(), name: z.string(), region: z.string(), scenario: z.string(), generation: z.number() })),
      handler: async () => TRAINING_CARDS.map((c) => ({ fixtureId: c.fixtureId, name: c.profile.name, region: c.profile.region, scenario: c.scenario, generation: c.generation })),
    }),
    route({
      method: 'POST', path: '/api/training/card', tag: 'training', summary: 'Training: insert a training card into the virtual reader (null removes it)', roles: ANY,
      body: z.object({ fixtureId: z.string().nullable() }).strict(), response: Ok,
      handler: async ({ body }) => {
        const virtual = rt.reader().virtual;
        if (!virtual) throw new ApiError(409, 'NOT_VIRTUAL_READER', '当前使用的是真实读卡器，请直接插卡');
        if (body.fixtureId === null) virtual.remove();
        else {
          if (!TRAINING_CARDS.some((c) => c.fixtureId === body.fixtureId)) throw new ApiError(400, 'INVALID_REQUEST', `body field fixtureId: no training card ${body.fixtureId}`, 'fixtureId');
          virtual.insert(body.fixtureId);
        }
        bus.publish('card', { present: body.fixtureId !== null });
        return { ok: true as const };
      },
    }),
    // ── reader ──
    route({
      method: 'GET', path: '/api/reader/ports', tag: 'technician', summary: "Serial ports on this computer, and whether the platform's listing or the kernel's view found them", roles: TECH,
      response: PortList,
      handler: async () => listPorts(),
    }),
    route({
      method: 'GET', path: '/api/reader/discovery', tag: 'technician', summary: 'Readers of every kind: serial ports and PC/SC readers (or why PC/SC is unavailable)', roles: TECH,
      response: ReaderDiscovery, handler: async () => discoverReaders(),
    }),
    route({
      method: 'POST', path: '/api/reader/library-test', tag: 'technician', summary: "Path test of a vendor's 社保卡 reader library: loads it in a separate process, lists the standard functions it exports", roles: TECH,
      body: z.object({ path: z.string().trim().min(1).max(500), convention: z.enum(['stdcall', 'cdecl']) }).strict(), response: LibraryTest,
      handler: async ({ body }) => testLibrary(body.path, body.convention),
    }),
    route({
      method: 'GET', path: '/api/reader/settings', tag: 'technician', summary: "This terminal's reader settings", roles: TECH,
      response: ReaderSettings, handler: async () => loadReaderSettings(rt.store.settings, rt.terminalId) ?? { model: 'virtual' as const },
    }),
    route({
      method: 'PUT', path: '/api/reader/settings', tag: 'technician', summary: "Save this terminal's reader settings (port, baud, model)", roles: TECH,
      body: ReaderSettings, response: ReaderSettings,
      handler: async ({ body }) => {
        const saved = saveReaderSettings(rt.store.settings, rt.terminalId, body);
        await rt.reloadReader();
        publishStatus();
        return saved;
      },
    }),
    route({
      method: 'POST', path: '/api/reader/self-test', tag: 'technician', summary: 'Reader self-test: status, read the card; the trace in the kind\'s own terms (serial frames as hex, APDUs with SW, library calls with return codes)', roles: TECH,
      response: SelfTestResult,
      handler: async () => selfTest(rt),
    }),
    // ── SKU ↔ catalogue mapping ──
    route({
      method: 'GET', path: '/api/sku-mappings', tag: 'technician', summary: 'Store SKU ↔ national catalogue mapping', roles: ANY,
      response: z.array(SkuMappingView),
      handler: async () => rt.sales.mappings().map((m) => mappingView(rt.policy, m)),
    }),
    route({
      method: 'PUT', path: '/api/sku-mappings/:sku', tag: 'technician', summary: 'Map a store SKU to a catalogue code', roles: TECH,
      params: z.object({ sku: z.string().min(1).max(50) }), body: SkuMapping.omit({ sku: true }), response: SkuMappingView,
      handler: async ({ params, body, principal }) => {
        // A downloaded catalogue (1301/1306) is the authority: a code not in it is refused. Before any
        // download the app's own catalogue decides, and the mapping is shown as unverified.
        const verdict = mappingVerdict(rt.policy, body.catalogueCode);
        if (verdict.kind === 'refused') throw new ApiError(422, 'CATALOGUE_CODE_NOT_DOWNLOADED', verdict.message, 'catalogueCode');
        if (verdict.kind === 'unverified' && !rt.policy.catalogueItem(body.catalogueCode)) {
          throw new ApiError(422, 'CATALOGUE_CODE_UNKNOWN', `医保目录中没有编码 ${body.catalogueCode}：请先下载目录（1301/1306）或核对编码`, 'catalogueCode');
        }
        rt.sales.setMapping(params.sku, body.catalogueCode, body.note, principal!.id);
        const m = rt.sales.mappings().find((x) => x.sku === params.sku)!;
        return mappingView(rt.policy, m);
      },
    }),
    route({
      method: 'DELETE', path: '/api/sku-mappings/:sku', tag: 'technician', summary: 'Remove a mapping (the SKU then sells as self-pay)', roles: TECH,
      params: z.object({ sku: z.string().min(1).max(50) }), response: Ok,
      handler: async ({ params }) => {
        if (!rt.sales.deleteMapping(params.sku)) throw new ApiError(404, 'NOT_FOUND', `没有商品编码 ${params.sku} 的对照`, 'sku');
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET', path: '/api/catalogue', tag: 'technician', summary: 'The cached national catalogue (for mapping)', roles: ANY,
      response: z.array(z.object({ code: z.string(), name: z.string(), listClass: z.enum(['A', 'B', 'C']), selfPayRatio: z.string().nullable(), limitPrice: z.string().nullable(), kind: z.string() })),
      handler: async () => rt.policy.catalogue().map(({ code, name, listClass, selfPayRatio, limitPrice, kind }) => ({ code, name, listClass, selfPayRatio, limitPrice, kind })),
    }),
    // ── policies ──
    route({
      method: 'GET', path: '/api/policies', tag: 'technician', summary: 'Policy versions with every parameter and its source article', roles: ANY,
      response: z.array(PolicyVersionView),
      handler: async () => {
        const today = businessDate(new Date());
        return rt.policy.versions().map((v) => {
          const pkg = rt.policy.package(v.id)!;
          const selected = selectVersion(rt.policy, v.regionCode, today);
          return {
            region: v.regionCode, regionName: pkg.region.name, version: v.id, document: v.document,
            effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo,
            inForce: selected.kind === 'inForce' && selected.pkg.id === v.id,
            parameters: parameterRows(pkg).map((p): z.infer<typeof PolicyParameterView> => ({ name: p.label, value: p.value, known: p.known, source: sourceText(pkg.document.citeAs, p.source, p.why) })),
          };
        });
      },
    }),
    route({
      method: 'POST', path: '/api/policies/update', tag: 'technician', summary: "Fetch the centre's signed policy packages, verify each signature, import the new ones", roles: TECH,
      response: PolicyUpdateReport,
      handler: async () => {
        try {
          const report = await rt.policyUpdater().checkNow();
          return { added: [...report.added], unchanged: [...report.unchanged], refused: report.refused.map((r) => ({ ...r })) };
        } catch (error) {
          throw new ApiError(503, 'POLICY_UPDATE_UNAVAILABLE', `无法获取政策更新：${error instanceof Error ? error.message : String(error)}。已有政策不受影响`);
        }
      },
    }),
    // ── store settings ──
    route({
      method: 'GET', path: '/api/store-settings', tag: 'manager', summary: 'Offline risk limits and prescription validity', roles: ['manager', 'technician', 'cashier'],
      response: StoreSettings, handler: async () => rt.store.settings.get(rt.terminalId, STORE_SETTINGS_KEY, StoreSettings) ?? DEFAULT_STORE_SETTINGS,
    }),
    route({
      method: 'PUT', path: '/api/store-settings', tag: 'manager', summary: 'Set the offline risk limits and prescription validity (manager)', roles: ['manager'],
      body: StoreSettings, response: StoreSettings,
      handler: async ({ body, principal }) => rt.store.db.transaction(() => {
        const saved = rt.store.settings.set(rt.terminalId, STORE_SETTINGS_KEY, StoreSettings, body);
        rt.store.journal.append('settings.store', { by: principal!.id, settings: saved });
        // Rows waiting for the prescriber of a sale without a prescription can go now.
        // (The reporter's drain starts asynchronously, after this transaction has committed.)
        if (saved.otcPrescriberName && rt.reports.store.retryRefused({ noteContains: 'prsc_dr_name' }) > 0) rt.reports.reporter.kick({ force: true });
        return saved;
      })(),
    }),
    // ── centre connection ──
    route({
      method: 'POST', path: '/api/centre/online-test', tag: 'technician', summary: 'Test the centre connection with a sign-in (9001)', roles: TECH,
      response: CentreOnlineTest,
      handler: async () => {
        const started = performance.now();
        const outcome = await rt.centre.signIn();
        const ms = Math.round(performance.now() - started);
        if (outcome.kind === 'ok') { rt.checkout.centreAnswered(); return { ok: true, ms, message: `签到成功，签到号 ${outcome.output.signinoutb.sign_no}` }; }
        const message = outcome.kind === 'rejected' ? `中心拒绝签到：${outcome.message}` : outcome.kind === 'not_delivered' ? `连接不上中心：${outcome.reason}` : `中心无应答（${outcome.reason}）：${outcome.detail}`;
        return { ok: false, ms, message };
      },
    }),
    route({
      method: 'GET', path: '/api/centre/settings', tag: 'technician', summary: 'Centre connection settings', roles: TECH,
      response: CentreSettings,
      handler: async () => {
        const stored = rt.store.settings.get(rt.terminalId, CENTRE_SETTINGS_KEY, CentreSettings);
        // The ledger's password is a secret: shown masked, kept on save while the mask is unchanged.
        if (stored) return { ...stored, ledgerUrl: stored.ledgerUrl === null ? null : maskLedgerUrl(stored.ledgerUrl) };
        return {
          mode: 'sandbox' as const, url: null, institutionCode: rt.identity.fixmedinsCode, institutionName: rt.identity.fixmedinsName, areaCode: rt.identity.mdtrtareaAdmvs, timeoutMs: 10_000, policyFeedUrl: null,
          edition: 'national', security: null, paasId: null, oauth: null, ledgerUrl: null, tillId: null, ledgerSeat: null,
        };
      },
    }),
    route({
      method: 'PUT', path: '/api/centre/settings', tag: 'technician', summary: 'Save centre connection settings (takes effect after a restart)', roles: TECH,
      body: CentreSettings, response: CentreSettings,
      handler: async ({ body }) => {
        if (body.mode === 'http' && !body.url) throw new ApiError(400, 'INVALID_REQUEST', 'body field url: give the centre endpoint for mode http', 'url');
        let chosen: ReturnType<typeof editionAndSecurity>;
        try { chosen = editionAndSecurity(body, rt.dataDir); } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          throw new ApiError(400, 'INVALID_REQUEST', `body field ${text}`, text.startsWith('edition') ? 'edition' : 'security');
        }
        if (chosen.security === 'tif-headers' && !body.paasId) throw new ApiError(400, 'INVALID_REQUEST', 'body field paasId: x-tif 网关需要 paasId', 'paasId');
        if (body.ledgerSeat === 'headoffice' && !body.ledgerUrl) {
          throw new ApiError(400, 'INVALID_REQUEST', 'body field ledgerSeat: 总部席位（headoffice）需要连锁账本的连接串 ledgerUrl', 'ledgerSeat');
        }
        let ledgerUrl: string | null;
        try { ledgerUrl = keepLedgerPassword(body.ledgerUrl, rt.store.settings.get(rt.terminalId, CENTRE_SETTINGS_KEY, CentreSettings)?.ledgerUrl ?? null); } catch (error) {
          if (error instanceof LedgerPasswordError) throw new ApiError(400, 'INVALID_REQUEST', `body field ${error.message}`, 'ledgerUrl');
          throw error;
        }
        const saved = rt.store.settings.set(rt.terminalId, CENTRE_SETTINGS_KEY, CentreSettings, { ...body, ledgerUrl });
        return { ...saved, ledgerUrl: saved.ledgerUrl === null ? null : maskLedgerUrl(saved.ledgerUrl) };
      },
    }),
    route({
      method: 'GET', path: '/api/centre/editions', tag: 'technician', summary: 'The interface editions this app ships (one validated profile each)', roles: TECH,
      response: z.array(EditionChoice),
      handler: async () => availableEditions(rt.dataDir).map((e) => ({ id: e.id, name: e.name, origin: e.origin, oauth: e.auth !== null, security: e.security, modes: supportedSecurityModes(e), notes: [...e.notes] })),
    }),
    route({
      method: 'POST', path: '/api/centre/editions', tag: 'technician', summary: 'Import an interface edition profile (validated like the shipped ones; stored in the data folder)', roles: TECH,
      body: z.unknown(), response: EditionChoice,
      handler: async ({ body }) => {
        try {
          const e = importEdition(rt.dataDir, body);
          return { id: e.id, name: e.name, origin: 'local' as const, oauth: e.auth !== null, security: e.security, modes: supportedSecurityModes(e), notes: [...e.notes] };
        } catch (error) {
          if (error instanceof EditionError) throw new ApiError(400, 'INVALID_REQUEST', `body: ${error.message}`, 'edition');
          throw error;
        }
      },
    }),
    route({
      method: 'GET', path: '/api/centre/secrets', tag: 'technician', summary: 'Which gateway secrets are stored (never their values)', roles: TECH,
      response: CentreSecretsView,
      handler: async () => ({ stored: Object.fromEntries(CENTRE_SECRET_NAMES.map((n) => [n, hasSecret(rt.dataDir, n)])) as Record<(typeof CENTRE_SECRET_NAMES)[number], boolean> }),
    }),
    route({
      method: 'PUT', path: '/api/centre/secrets', tag: 'technician', summary: 'Store one gateway secret as a 0600 file in the data folder (takes effect after a restart)', roles: TECH,
      body: CentreSecretInput, response: CentreSecretsView,
      handler: async ({ body }) => {
        try { writeSecret(rt.dataDir, body.name, body.value); } catch (error) {
          if (error instanceof CentreKeyError) throw new ApiError(400, 'INVALID_REQUEST', `body field value: ${error.message}`, 'value');
          throw error;
        }
        return { stored: Object.fromEntries(CENTRE_SECRET_NAMES.map((n) => [n, hasSecret(rt.dataDir, n)])) as Record<(typeof CENTRE_SECRET_NAMES)[number], boolean> };
      },
    }),
  ];
}

async function selfTest(rt: Runtime): Promise<z.infer<typeof SelfTestResult>> {
  const events: TraceEvent[] = [];
  const sent = new Set<unknown>();
  const started = performance.now();
  const port = rt.reader().port;
  const { status, read } = await rt.tapReader(async () => {
    const status = await port.status();
    const read = status.ok ? await port.readCard() : null;
    return { status, read };
  }, (e) => {
    // The card watch may have a status poll in flight when the tap starts: its reply is not the self-test's.
    if (e.kind === 'tx') sent.add(e.command);
    if (e.kind === 'rx' && e.command && !sent.has(e.command)) return;
    events.push(e);
  });
  const frames = traceRows(events);
  const failure = !status.ok ? status : read && !read.ok ? read : null;
  const holder = read?.ok ? read.holder : null;
  return {
    ok: failure === null,
    kind: rt.reader().kind,
    error: failure ? { code: failure.error, message: failure.message } : null,
    holder: holder ? { name: holder.name, cardNo: holder.cardNo, ssnMasked: redactIdNumber(holder.ssn), region: holder.region, cardType: holder.cardType, version: holder.version } : null,
    atr: holder?.atr ?? null,
    firmware: status.ok ? status.firmware : null,
    durationMs: Math.round(performance.now() - started),
    frames,
  };
}
