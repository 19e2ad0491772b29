// The vendor-library driver through the real FFI (koffi) against a shared library the test builds
// with cc, implementing the standard iReadCardBas signature over fixed test cards: its return codes,
// a slow read, a hang and a crash (the caller's event loop keeps running and the next read works),
// and libraries that are missing, of the wrong architecture, or not libraries at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TraceEvent } from '../../../core/reader/trace';
import { formatTraceEvent } from '../../../core/reader/trace-format';
import { createLibraryCardReader, type LibraryCardReaderOptions } from '../../../native/sscard-lib/library-reader';
import { runCardCli } from '../../support/card-cli';
import { buildTestLibrary, compile, type TestLibrary, wrongArchitectureCopy } from '../../support/sscard-lib';

let lib: TestLibrary;
beforeAll(() => {
  lib = buildTestLibrary();
  Object.assign(process.env, lib.env);
});
afterAll(() => lib?.remove());

async function withReader<T>(options: Partial<LibraryCardReaderOptions>, body: (reader: ReturnType<typeof createLibraryCardReader>) => Promise<T>): Promise<T> {
  const reader = createLibraryCardReader({ path: lib.path, convention: 'cdecl', mode: 3, ...options });
  try { return await body(reader); } finally { await reader.close(); }
}

/** Counts event-loop ticks while `work` runs: a frozen loop would count none. */
async function ticksDuring<T>(work: Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 50);
  try { return { value: await work, ticks }; } finally { clearInterval(timer); }
}

describe('vendor library driver (iReadCardBas through koffi in a child process)', () => {
  test('2nd- and 3rd-generation cards: the pipe-separated GBK output becomes the holder; the trace shows the call and its return code, no holder data', async () => {
    const trace: TraceEvent[] = [];
    await withReader({ trace: (e) => trace.push(e) }, async (reader) => {
      lib.setState('gen2');
      expect(await reader.readCard()).toEqual({
        ok: true,
        holder: {
          cardId: '420300D1560000055445535430303031', region: '420300', cardType: '', version: '2.00', generation: 2, initOrg: '',
          issuedOn: '2018-04-02', expiresOn: '2028-04-01', cardNo: 'T42030001', ssn: '420302198503120017', name: '测试甲',
          sex: '', nation: '', birthPlace: '', birthDate: '', atr: '0081420300545354303030',
        },
      });
      lib.setState('gen3');
      expect(await reader.readCard()).toMatchObject({ ok: true, holder: { generation: 3, version: '3.00', name: '测试乙', ssn: '36010219920708002X', region: '360100' } });
    });
    const calls = trace.filter((e) => e.kind === 'call');
    expect(calls.map((c) => [c.fn, c.rc])).toEqual([['iReadCardBas', '0'], ['iReadCardBas', '0']]);
    const text = trace.map((e) => formatTraceEvent(e, 0)).join('\n');
    expect(text).toContain('iReadCardBas(iType=3 (auto, contact first)) → 0');
    expect(text).not.toContain('420302198503120017');
    expect(text).not.toContain('测试甲');
  });

  test.each([
    ['none', 'NO_CARD', '-2'],
    ['psam', 'PSAM_REQUIRED', '-2203'],
    ['wrongtype', 'NOT_SSCARD', '-1'],
  ])('return code for %s: %s with the vendor code %s in the message', async (state, error, code) => {
    lib.setState(state);
    await withReader({}, async (reader) => {
      expect(await reader.readCard()).toMatchObject({ ok: false, error, message: expect.stringContaining(`厂商返回码 ${code}`) });
    });
  });

  test('garbage output: NOT_SSCARD naming the problem, no holder', async () => {
    lib.setState('garbage');
    await withReader({}, async (reader) => {
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'NOT_SSCARD', message: expect.stringContaining('library output') });
    });
  });

  test('a slow read (1.5 s) succeeds while the caller keeps running', async () => {
    lib.setState('slow');
    await withReader({}, async (reader) => {
      const { value, ticks } = await ticksDuring(reader.readCard());
      expect(value).toMatchObject({ ok: true, holder: { cardNo: 'T42030001' } });
      expect(ticks).toBeGreaterThanOrEqual(15);
    });
  });

  test('a hanging library: RESPONSE_TIMEOUT after the limit, the caller never froze, the next read starts a fresh process', async () => {
    lib.setState('hang');
    await withReader({ timeoutMs: 800 }, async (reader) => {
      const { value, ticks } = await ticksDuring(reader.readCard());
      expect(value).toMatchObject({ ok: false, error: 'RESPONSE_TIMEOUT', message: expect.stringContaining('800 ms') });
      expect(ticks).toBeGreaterThanOrEqual(10);
      lib.setState('gen2');
      expect(await reader.readCard()).toMatchObject({ ok: true, holder: { cardNo: 'T42030001' } });
    });
  });

  test('a crashing library (segfault): READER_DISCONNECTED naming the signal, this process lives on, the next read works', async () => {
    lib.setState('crash');
    await withReader({}, async (reader) => {
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'READER_DISCONNECTED', message: expect.stringContaining('SIGSEGV') });
      lib.setState('gen3');
      expect(await reader.readCard()).toMatchObject({ ok: true, holder: { generation: 3 } });
    });
  });

  test('path test: the standard functions the library exports; a library without iReadCardBas is refused', async () => {
    await withReader({}, async (reader) => {
      expect(await reader.probe()).toEqual({ ok: true, found: ['iReadCardBas', 'iReadCardBas_HSM_Step1'], message: expect.stringContaining('libtestsscard.so loaded') });
      expect(await reader.status()).toMatchObject({ ok: true, firmware: 'library libtestsscard.so (iReadCardBas, iReadCardBas_HSM_Step1)' });
    });
    const other = join(lib.dir, 'other.c');
    writeFileSync(other, 'int something_else(void) { return 1; }\n');
    compile(other, join(lib.dir, 'libother.so'));
    await withReader({ path: join(lib.dir, 'libother.so') }, async (reader) => {
      expect(await reader.probe()).toMatchObject({ ok: false, found: [], message: expect.stringContaining('does not export iReadCardBas') });
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'PORT_UNAVAILABLE', message: expect.stringContaining('does not export') });
    });
  });

  test('missing, wrong-architecture and non-library files: PORT_UNAVAILABLE with a message a technician can act on', async () => {
    await withReader({ path: join(lib.dir, 'nope.so') }, async (reader) => {
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'PORT_UNAVAILABLE', message: expect.stringContaining('library not found') });
    });
    wrongArchitectureCopy(lib.path, join(lib.dir, 'lib32.so'));
    await withReader({ path: join(lib.dir, 'lib32.so') }, async (reader) => {
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'PORT_UNAVAILABLE', message: expect.stringContaining('another architecture') });
    });
    writeFileSync(join(lib.dir, 'text.so'), 'not a library\n');
    await withReader({ path: join(lib.dir, 'text.so') }, async (reader) => {
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'PORT_UNAVAILABLE', message: expect.stringContaining('not a loadable library') });
    });
  });

  test('the CLI: `read --kind library --lib P` prints the holder, `trace` the call with its return code; bad flags exit 2', async () => {
    lib.setState('gen2');
    const read = await runCardCli(['read', '--kind', 'library', '--lib', lib.path, '--convention', 'cdecl', '--mode', '1']);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ cardNo: 'T42030001', name: '测试甲', generation: 2 });
    const trace = await runCardCli(['trace', '--kind', 'library', '--lib', lib.path]);
    expect(trace.code).toBe(0);
    expect(trace.stdout).toContain('iReadCardBas(iType=3 (auto, contact first)) → 0');
    expect(trace.stdout).not.toContain('420302198503120017');
    lib.setState('psam');
    const psam = await runCardCli(['read', '--kind', 'library', '--lib', lib.path]);
    expect(psam.code).toBe(3);
    expect(JSON.parse(psam.stdout)).toMatchObject({ error: 'PSAM_REQUIRED', message: expect.stringContaining('-2203') });
    const bad = await runCardCli(['read', '--kind', 'library', '--lib', lib.path, '--mode', '7']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--mode');
    const noLib = await runCardCli(['read', '--kind', 'library']);
    expect(noLib.code).toBe(2);
    expect(noLib.stderr).toContain('--lib is required');
  });
});
