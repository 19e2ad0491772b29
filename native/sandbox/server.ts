// The sandbox centre as a real HTTP server on 127.0.0.1: the centre endpoint of the selected interface
// edition (national: POST /fsi/api/rsfComIfsService/callService, every infno), checking every
// message against that edition and its gateway security as a platform would; the policy-update feed
// (GET /sandbox/policy-packages) and a summary for people and tests (GET /sandbox/summary).
//
//   const sandbox = await startSandbox({ dataDir, port: 0, faults: { latencyMs: [0, 5], dropAfterCommitRate: 0.05 } });
//   … sandbox.endpoint …   sandbox.setFaults({ … })   sandbox.centre.summary()   await sandbox.close()
//
// The listening socket is ours (node:net), handed to Fastify's HTTP server connection by connection,
// so "refuse connections" can really stop listening for a while and clients see ECONNREFUSED.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_EDITION_ID, editionById } from '../../core/centre/editions';
import { type EditionProfile } from '../../core/centre/editions/schema';
import { type RequestEnvelope } from '../../core/centre/envelope';
import { describeIssues } from '../../core/centre/fields';
import { EprescriptionRevocation } from '../../core/centre/tx/eprescription';
import { formatCompact, formatMillis } from '../../core/centre/time';
import { type Infno } from '../../core/centre/transactions';
import { openDatabase, type Db } from '../db/open';
import { signPackage } from '../policy-update/signed-package';
import { SandboxCentre } from './centre';
import { SandboxInventory } from './inventory';
import { SandboxSalesReports } from './sales-report';
import { type AfterFault, FaultConfig, type FaultConfigInput, type FaultPlan, CLEAN_PLAN, planFaults, seededRandom } from './faults';
import { infnoOf, openMessage, sealOutput, type SandboxSecurity } from './gateway';
import { BusinessError } from './pricing';
import { sandboxMigrations } from './schema';
import { seedSandbox, type PersonSeed } from './seed';
import { SANDBOX_SIGNING_KEY_ID, TRAINING_PRIVATE_KEY_PEM } from './training-signing-key';

export const CENTRE_PATH = '/fsi/api/rsfComIfsService/callService';

export interface SandboxOptions {
  /** Folder of sandbox.db (created if missing). */
  readonly dataDir: string;
  /** 0 = any free port. */
  readonly port?: number;
  readonly faults?: FaultConfigInput;
  readonly clock?: () => Date;
  readonly persons?: readonly PersonSeed[];
  /** Largest request accepted (9101 uploads are the big ones). Default 48 MiB. */
  readonly maxRequestBytes?: number;
  /** Logs one line per request (personal data redacted, never a key). */
  readonly log?: (line: string) => void;
  /** The interface edition whose messages it accepts (national by default). */
  readonly edition?: EditionProfile;
  /** The gateway security it demands (plain JSON by default). */
  readonly security?: SandboxSecurity;
  /**
   * With an edition that wants a bearer token: the credentials its token endpoint accepts. Without
   * them it hands a token to any client (training), but still demands one on every message.
   */
  readonly oauth?: SandboxOAuth;
}

export interface SandboxOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
}

export type { SandboxSecurity } from './gateway';

export interface SandboxStats {
  readonly requests: number;
  readonly byInfno: Readonly<Record<string, number>>;
  readonly faults: Readonly<Record<string, number>>;
}

export interface RunningSandbox {
  readonly url: string;
  readonly endpoint: string;
  readonly port: number;
  readonly centre: SandboxCentre;
  /** 3505/3506 rows received and the 追溯码 they traced. */
  readonly reports: SandboxSalesReports;
  /** 3501–3504/3507 rows received. */
  readonly inventory: SandboxInventory;
  readonly db: Db;
  readonly edition: EditionProfile;
  setFaults(faults: FaultConfigInput): void;
  /** Forget every issued bearer token (a gateway restart, an expiry). */
  revokeTokens(): void;
  /** How many token requests its OAuth endpoint has answered. */
  tokenRequests(): number;
  stats(): SandboxStats;
  /** Stop listening for `ms` (connections are refused), then listen again on the same port. */
  refuseFor(ms: number): void;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  mkdirSync(options.dataDir, { recursive: true });
  const clock = options.clock ?? (() => new Date());
  const db = openDatabase(join(options.dataDir, 'sandbox.db'), sandboxMigrations);
  seedSandbox(db, { year: Number(formatCompact(clock()).slice(0, 4)), now: clock(), ...(options.persons ? { persons: options.persons } : {}) });
  const centre = new SandboxCentre(db, clock);
  const reports = new SandboxSalesReports(db, clock);
  const inventory = new SandboxInventory(db, clock);
  let faults = FaultConfig.parse(options.faults ?? {});
  let random = seededRandom(faults.seed);
  let refMsgSerial = 0;
  const stats = { requests: 0, byInfno: {} as Record<string, number>, faults: {} as Record<string, number> };
  const count = (key: string): void => { stats.faults[key] = (stats.faults[key] ?? 0) + 1; };
  const log = options.log ?? (() => {});
  const edition = options.edition ?? editionById(DEFAULT_EDITION_ID);
  const security: SandboxSecurity = options.security ?? { mode: 'plain' };
  const tokens = new Map<string, number>();
  let tokenRequests = 0;

  const app = Fastify({ logger: false, bodyLimit: options.maxRequestBytes ?? 48 * 1024 * 1024, serverFactory: (handler) => http.createServer(handler) });
  // The centre answers malformed requests itself (infcode -1), so bodies arrive as raw text.
  // answerMs: the reply waits until its time after the request's arrival (the centre's own work
  // counts against it), so a bench sees a platform of a fixed answer time however busy we are.
  const arrivedAt = new WeakMap<FastifyRequest, number>();
  const answerDue = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (request) => { arrivedAt.set(request, performance.now()); });
  app.addHook('onSend', async (request, _reply, payload) => {
    const due = answerDue.get(request);
    if (due !== undefined) await sleepUntil(due);
    return payload;
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.get('/sandbox/summary', async () => centre.summary());
  // Training control, playing the prescribing hospital: 7104 电子处方撤销 (S1 CFZX/YG7104.cs fields), JSON body.
  app.post('/sandbox/eprescriptions/revoke', async (request, reply) => {
    let body: unknown;
    try { body = JSON.parse(typeof request.body === 'string' ? request.body : ''); } catch { return reply.code(400).send({ error: 'body: JSON with the 7104 fields' }); }
    const parsed = EprescriptionRevocation.safeParse(body);
    if (!parsed.success) return reply.code(400).send({ error: describeIssues(parsed.error) });
    try { return centre.revokeEprescription(parsed.data); } catch (error) {
      if (error instanceof BusinessError) return reply.code(404).send({ error: error.message });
      throw error;
    }
  });
  app.get('/sandbox/policy-packages', async () => ({
    packages: centre.packages().map((p) => signPackage(p, TRAINING_PRIVATE_KEY_PEM, SANDBOX_SIGNING_KEY_ID)),
  }));

  const oauth = options.oauth;
  if (edition.auth) {
    // OAuth 2 password grant, client id and secret as HTTP Basic (as Jilin's gateway, S2 getToken).
    app.post(edition.auth.tokenPath, async (request, reply) => {
      tokenRequests++;
      const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
      const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''));
      const client = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
      if (oauth && client !== `${oauth.clientId}:${oauth.clientSecret}`) return reply.code(401).send({ error: 'invalid_client' });
      if (form.get('grant_type') !== 'password' || (oauth && (form.get('username') !== oauth.username || form.get('password') !== oauth.password))) return reply.code(400).send({ error: 'invalid_grant' });
      const token = randomBytes(16).toString('hex');
      tokens.set(token, Date.now() + 3_600_000);
      return reply.send({ access_token: token, token_type: 'bearer', expires_in: 3600, scope: form.get('scope') ?? '' });
    });
  }

  const paths = edition.url.layout === 'single' ? [edition.url.path] : [...new Set(Object.values(edition.transactions).map((tx) => tx.path!))];
  for (const path of paths) app.post(path, async (request, reply) => handle(path, request, reply));

  async function handle(path: string, request: FastifyRequest, reply: FastifyReply) {
    stats.requests++;
    const text = typeof request.body === 'string' ? request.body : '';
    let body: unknown = null;
    try { body = JSON.parse(text); } catch { /* answered below */ }
    const code = typeof body === 'object' && body !== null && 'infno' in body && typeof body.infno === 'string' ? body.infno : '';
    const infno = infnoOf(edition, code);
    stats.byInfno[infno ?? code] = (stats.byInfno[infno ?? code] ?? 0) + 1;
    const plan: FaultPlan = infno ? planFaults(faults, infno, random) : CLEAN_PLAN;
    if (plan.answerMs > 0) answerDue.set(request, (arrivedAt.get(request) ?? performance.now()) + plan.answerMs);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (plan.refuseAfter) { count('refuse'); reply.raw.once('close', () => listener.refuseFor(faults.refuseMs)); }
    if (plan.before === 'error5xx') { count('error5xx'); return reply.code(503).type('text/plain').send('503 Service Unavailable (sandbox fault injection)'); }
    if (plan.before === 'business_error') { count('business_error'); return reply.send(envelope(-1, '模拟业务错误（沙箱故障注入）', null)); }

    if (edition.auth) {
      const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
      if (!bearer || (tokens.get(bearer) ?? 0) < Date.now()) return reply.code(401).type('application/json').send({ error: 'invalid_token', error_description: '令牌无效或已过期' });
    }
    const opened = openMessage(body, { path, headers: request.headers }, edition, security);
    if (!opened.ok) return reply.send(envelope(-1, opened.refusal, null));
    const e = opened.env;

    let output: unknown;
    try {
      if (opened.infno !== '9001') centre.checkSignIn(e);
      const refuseRow = (): boolean => faults.rowRejectRate > 0 && (faults.infnos.length === 0 || faults.infnos.includes(opened.infno)) && random() < faults.rowRejectRate;
      output = dispatch(centre, reports, inventory, refuseRow, opened.infno, e, opened.input);
    } catch (error) {
      if (error instanceof BusinessError) return reply.send(envelope(-1, error.message, null));
      log(`sandbox: ${opened.infno} ${e.msgid} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return reply.code(500).type('text/plain').send('500 Internal Server Error');
    }
    log(`sandbox: ${opened.infno} ${e.msgid} ok`);
    if (output instanceof Buffer) {
      return applyAfter(plan.after, reply, request, output, 'application/octet-stream', e.msgid);
    }
    return applyAfter(plan.after, reply, request, JSON.stringify(envelope(0, '', sealOutput(output, opened.tx, security))), 'application/json; charset=utf-8', e.msgid);
  }

  function envelope(infcode: number, errMsg: string, output: unknown) {
    const now = clock();
    refMsgSerial++;
    const full: Record<string, unknown> = {
      infcode,
      inf_refmsgid: `000000${formatCompact(now)}${String(refMsgSerial).padStart(10, '0')}`.slice(0, 30),
      refmsg_time: formatMillis(now),
      respond_time: formatMillis(clock()),
      err_msg: errMsg ? truncate(errMsg, edition.envelope.response.err_msg?.max) : null,
    };
    // Only the reply fields the edition defines, plus output.
    const shaped = Object.fromEntries(Object.entries(full).filter(([k]) => k in edition.envelope.response));
    return { ...shaped, output };
  }

  function applyAfter(after: AfterFault, reply: FastifyReply, request: FastifyRequest, payload: string | Buffer, type: string, msgid: string) {
    if (after === 'none') return reply.type(type).send(payload);
    const socket = request.raw.socket;
    if (after === 'drop') { count('drop'); void reply.hijack(); socket.destroy(); return reply; }
    if (after === 'error5xx') { count('error5xx_after_commit'); return reply.code(502).type('text/html').send('<html><body>502 Bad Gateway</body></html>'); }
    if (after === 'duplicate') {
      count('duplicate');
      const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
      const copy = (connection: string): Buffer => Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\nConnection: ${connection}\r\n\r\n`, 'latin1'), bytes]);
      if (/close/i.test(String(request.headers.connection ?? ''))) {
        // The client closes after one reply: both copies arrive in one burst before the close.
        void reply.hijack();
        socket.end(Buffer.concat([copy('close'), copy('close')]));
        return reply;
      }
      // A keep-alive client: the reply goes out normally and a copy follows on the idle connection,
      // where a careless client would take it for the answer to its next request.
      reply.raw.once('finish', () => { if (!socket.destroyed && !socket.writableEnded) socket.write(copy('keep-alive')); });
      return reply.type(type).send(payload);
    }
    count(`hostile_${after.hostile}`);
    return hostileReply(after.hostile, reply, request, typeof payload === 'string' ? payload : '{}', msgid);
  }

  const listener = new Listener((socket) => app.server.emit('connection', socket));
  await app.ready();
  const port = await listener.listen(options.port ?? 0);
  const url = `http://${HOST}:${port}/`;

  return {
    url, port, centre, reports, inventory, db, edition,
    endpoint: `http://${HOST}:${port}${edition.url.layout === 'single' ? edition.url.path : ''}`,
    setFaults(next) { faults = FaultConfig.parse(next); random = seededRandom(faults.seed); },
    revokeTokens: () => tokens.clear(),
    tokenRequests: () => tokenRequests,
    stats: () => ({ requests: stats.requests, byInfno: { ...stats.byInfno }, faults: { ...stats.faults } }),
    refuseFor: (ms) => listener.refuseFor(ms),
    async close() {
      await listener.close();
      app.server.closeAllConnections?.();
      await app.close().catch(() => {});
      db.close();
    },
  };
}

function dispatch(centre: SandboxCentre, reports: SandboxSalesReports, inventory: SandboxInventory, refuseRow: () => boolean, infno: Infno, env: RequestEnvelope, input: unknown): unknown {
  const i = input as never;
  const rows = (value: unknown) => (value as { selinfoDetail: never[] }).selinfoDetail;
  const row = (value: unknown) => (value as { selinfo: never }).selinfo;
  switch (infno) {
    case '9001': return centre.signIn(env, i);
    case '9002': return centre.signOut(env, i);
    case '1101': return centre.personInfo(env, i);
    case '1201': return centre.institutionInfo(env, i);
    case '2101': return centre.preSettle(env, i);
    case '2102': return centre.settle(env, i);
    case '2103': return centre.cancel(env, i);
    case '2601': return centre.reverse(env, i);
    case '5203': return centre.querySettlement(env, i);
    case '5206': return centre.cumulativeInfo(env, i);
    case '3201': return centre.reconcileTotals(env, i);
    case '3202': return centre.reconcileDetails(env, i);
    case '9101': return centre.uploadFile(env, i);
    case '9102': return centre.downloadFile(env, i);
    case '1301': return centre.catalogueDownload(env, '1301', i);
    case '1306': return centre.catalogueDownload(env, '1306', i);
    case '1901': return centre.dictionary(env, i);
    case '1312': return centre.hilist.query(env, i);
    case '1319': return centre.hilist.selfPay(env, i);
    case '7201': return centre.decodeEprescriptionQr(env, i);
    case '7202': return centre.queryEprescription(env, i);
    case '7203': return centre.downloadEprescription(env, i);
    case '7204': return centre.reviewEprescription(env, i);
    case '7206': return centre.writeOffEprescription(env, i);
    case '3505': return reports.single(reports.sale(env, row(input), refuseRow));
    case '3506': return reports.single(reports.saleReturn(env, row(input), refuseRow));
    case '3505A': return reports.batch(rows(input), (r) => reports.sale(env, r, refuseRow));
    case '3506A': return reports.batch(rows(input), (r) => reports.saleReturn(env, r, refuseRow));
    case '3501':
    case '3502': return inventory.upload(env, infno, (input as { invinfo: Record<string, unknown> }).invinfo, refuseRow);
    case '3503':
    case '3504': return inventory.upload(env, infno, (input as { purcinfo: Record<string, unknown> }).purcinfo, refuseRow);
    case '3507': return inventory.upload(env, infno, (input as { data: Record<string, unknown> }).data, refuseRow);
  }
}

/** Malformed replies of the named kind, sent after the work was committed. */
function hostileReply(kind: string, reply: FastifyReply, request: FastifyRequest, json: string, msgid: string) {
  const env = JSON.parse(json) as { output: unknown; infcode?: unknown };
  switch (kind) {
    case 'wrong_types':
      return reply.type('application/json').send(JSON.stringify({ ...env, output: env.output === null ? 'not an object' : wrongTypes(env.output) }));
    case 'missing_fields': {
      const { infcode: _drop, ...rest } = env;
      return reply.type('application/json').send(JSON.stringify(env.output === null ? rest : { ...env, output: dropFields(env.output) }));
    }
    case 'huge_body':
      // Valid JSON, streamed without a length: only a running byte count can stop it.
      return reply.type('application/json').send(Readable.from((function* () {
        yield `{"infcode":0,"output":${JSON.stringify(env.output)},"padding":"`;
        for (let i = 0; i < 64; i++) yield 'x'.repeat(256 * 1024);
        yield '"}';
      })()));
    case 'non_json':
      return reply.type('text/html').send('<html><body><h1>欢迎使用</h1>网关维护中</body></html>');
    case 'truncated': {
      void reply.hijack();
      const bytes = Buffer.from(json, 'utf8');
      request.raw.socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`);
      request.raw.socket.end(bytes.subarray(0, Math.floor(bytes.length / 2)));
      return reply;
    }
    case 'wrong_echo': {
      const out = env.output as { setlinfo?: { medins_setl_id?: string } } | null;
      if (out?.setlinfo && typeof out.setlinfo === 'object') out.setlinfo.medins_setl_id = `${msgid.slice(0, 26)}9999`;
      return reply.type('application/json').send(JSON.stringify(env));
    }
    default:
      return reply.type('application/json').send(json);
  }
}

function wrongTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wrongTypes);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrongTypes(v)]));
  if (typeof value === 'string' && /^-?\d+\.\d{2}$/.test(value)) return value === '0.00' ? false : true;
  if (typeof value === 'string') return { text: value };
  return value;
}

function dropFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropFields);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    // Keep every other key: enough holes that required fields go missing at every level.
    return Object.fromEntries(entries.filter((_, i) => i % 2 === 1).map(([k, v]) => [k, dropFields(v)]));
  }
  return value;
}

function truncate(text: string, max: number | undefined): string {
  const chars = [...text];
  return max === undefined || chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Until `at` (performance clock), not a timer tick later: a fixed answer time should be exact. */
async function sleepUntil(at: number): Promise<void> {
  const ahead = at - performance.now();
  if (ahead > 1.5) await sleep(ahead - 1.5);
  while (performance.now() < at) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A TCP listener that can stop listening for a while and come back on the same port. */
class Listener {
  private server: net.Server | null = null;
  private port = 0;
  private readonly sockets = new Set<net.Socket>();
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly onConnection: (socket: net.Socket) => void) {}

  async listen(port: number): Promise<number> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.onConnection(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => { server.off('error', reject); resolve(); });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  refuseFor(ms: number): void {
    if (this.closed || !this.server) return;
    const server = this.server;
    this.server = null;
    server.close();
    clearTimeout(this.reopenTimer);
    const reopen = (): void => {
      if (this.closed) return;
      // The port could be taken meanwhile (unlikely on loopback): try again shortly.
      this.listen(this.port).catch(() => { this.reopenTimer = setTimeout(reopen, 50); });
    };
    this.reopenTimer = setTimeout(reopen, ms);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
