// Small native pieces of the centre path: the zip codec of the file exchange, the gateway signer,
// and the sandbox's fault planner.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { joinPath } from '../../../native/centre/http-transport';
import { crc32, readZip, writeZip, ZipError, zipFileCodec } from '../../../native/centre/zip';
import { tifGatewaySigner, verifyTifHeaders } from '../../../native/centre/variants';
import { FaultConfig, planFaults, seededRandom } from '../../../native/sandbox/faults';

describe('zip codec', () => {
  test('CRC-32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test('round-trips UTF-8 text through base64 zip', () => {
    const text = 'S1\tM1\tPSN1\t10.00\t4.00\t6.00\t0\n测试\n'.repeat(200);
    const zipped = zipFileCodec.zipBase64('明细.txt', text);
    expect(zipFileCodec.unzipText(Buffer.from(zipped, 'base64'))).toEqual({ filename: '明细.txt', text });
  });

  test('damage is detected: CRC, truncation, unsupported method, not a zip', () => {
    const good = writeZip([{ name: 'a.txt', data: Buffer.from('hello hello hello') }]);
    const central = good.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const crcBroken = Buffer.from(good);
    crcBroken[central + 16] = crcBroken[central + 16]! ^ 1;
    expect(() => readZip(crcBroken)).toThrow(/CRC mismatch/);
    expect(() => readZip(good.subarray(0, 20))).toThrow(ZipError);
    const stored = Buffer.from(good);
    stored.writeUInt16LE(12, central + 10);
    expect(() => readZip(stored)).toThrow(/method 12/);
    expect(() => readZip(Buffer.from('PK but not really'))).toThrow(/not a zip/);
    expect(() => zipFileCodec.unzipText(writeZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'b', data: Buffer.alloc(1) }]))).toThrow(/expected one file/);
  });

  test('property: arbitrary bytes never crash the reader other than with ZipError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, withTail) => {
      const input = withTail ? Buffer.concat([Buffer.from(bytes), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]) : Buffer.from(bytes);
      try { readZip(input); } catch (error) { expect(error).toBeInstanceOf(ZipError); }
    }), { numRuns: 500 });
  });
});

describe('x-tif gateway signature', () => {
  test('signs timestamp + token + nonce + timestamp with SHA-256, and verifies', () => {
    const signer = tifGatewaySigner({ paasId: 'pharmacy-1', paasToken: 'secret', nonce: () => 'n0nce' });
    const headers = signer.headers('{}', new Date('2025-06-16T02:00:00Z'));
    expect(headers).toMatchObject({ 'x-tif-paasid': 'pharmacy-1', 'x-tif-timestamp': '1750039200', 'x-tif-nonce': 'n0nce' });
    expect(headers['x-tif-signature']).toMatch(/^[0-9a-f]{64}$/);
    const at = new Date('2025-06-16T02:01:00Z');
    // An independent digest of the documented string, so the test does not just repeat the code.
    expect(headers['x-tif-signature']).toBe(createHash('sha256').update('1750039200secretn0nce1750039200').digest('hex'));
    expect(verifyTifHeaders(headers, { paasId: 'pharmacy-1', paasToken: 'secret' }, at)).toEqual({ ok: true });
    expect(verifyTifHeaders(headers, { paasId: 'pharmacy-1', paasToken: 'other' }, at)).toMatchObject({ ok: false, reason: expect.stringContaining('x-tif-signature') });
    expect(verifyTifHeaders({ ...headers, 'x-tif-nonce': 'x' }, { paasId: 'pharmacy-1', paasToken: 'secret' }, at).ok).toBe(false);
    expect(verifyTifHeaders(headers, { paasId: 'pharmacy-2', paasToken: 'secret' }, at)).toMatchObject({ ok: false, reason: expect.stringContaining('paasid') });
    expect(verifyTifHeaders(headers, { paasId: 'pharmacy-1', paasToken: 'secret' }, new Date('2025-06-16T03:00:00Z'))).toMatchObject({ ok: false, reason: expect.stringContaining('timestamp') });
    const { 'x-tif-signature': _gone, ...unsigned } = headers;
    expect(verifyTifHeaders(unsigned, { paasId: 'pharmacy-1', paasToken: 'secret' }, at)).toMatchObject({ ok: false, reason: expect.stringContaining('x-tif-signature') });
  });
});

describe('sandbox fault planner', () => {
  test('the same seed gives the same plan; rates are honoured roughly', () => {
    const config = FaultConfig.parse({ seed: 5, latencyMs: [2, 8], dropAfterCommitRate: 0.2, error5xxRate: 0.1 });
    const plans = (seed: number) => { const r = seededRandom(seed); return Array.from({ length: 2000 }, () => planFaults(config, '2102', r)); };
    expect(plans(5)).toEqual(plans(5));
    const p = plans(5);
    const share = (f: (x: typeof p[number]) => boolean) => p.filter(f).length / p.length;
    expect(share((x) => x.before === 'error5xx')).toBeGreaterThan(0.07);
    expect(share((x) => x.before === 'error5xx')).toBeLessThan(0.13);
    expect(share((x) => x.after === 'drop')).toBeGreaterThan(0.14);
    expect(p.every((x) => x.latencyMs >= 2 && x.latencyMs <= 8)).toBe(true);
    // A request refused before the work never also has an after-commit fault.
    expect(p.every((x) => x.before === 'none' || x.after === 'none')).toBe(true);
  });

  test('faults can be limited to some transactions, and bad configs name the field', () => {
    const config = FaultConfig.parse({ error5xxRate: 1, infnos: ['2102'] });
    expect(planFaults(config, '5203', seededRandom(1)).before).toBe('none');
    expect(planFaults(config, '2102', seededRandom(1)).before).toBe('error5xx');
    expect(FaultConfig.safeParse({ dropAfterCommitRate: 2 }).error?.issues[0]?.path).toEqual(['dropAfterCommitRate']);
    expect(FaultConfig.safeParse({ latencyMs: [9, 1] }).success).toBe(false);
    expect(FaultConfig.safeParse({ hostile: 'nasty' }).error?.issues[0]?.path).toEqual(['hostile']);
  });
});

describe('joining the edition\'s path to the configured address', () => {
  test('an origin, a prefix, or a full endpoint configured before editions', () => {
    const path = '/fsi/api/rsfComIfsService/callService';
    expect(joinPath(new URL('https://gw.example:8443'), path).href).toBe(`https://gw.example:8443${path}`);
    expect(joinPath(new URL('https://gw.example/prov/'), path).href).toBe(`https://gw.example/prov${path}`);
    expect(joinPath(new URL(`http://127.0.0.1:9${path}`), path).href).toBe(`http://127.0.0.1:9${path}`);
    expect(joinPath(new URL('https://gw.example/x'), undefined).href).toBe('https://gw.example/x');
  });
});
