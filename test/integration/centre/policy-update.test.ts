// Signed policy updates end to end: the sandbox publishes Ed25519-signed packages over HTTP, the
// updater verifies each one and only then hands it to the real policy store's import.
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { embeddedPackages } from '../../../core/policy/embedded';
import { openPolicyStore, type PolicyStore } from '../../../native/policy-store/store';
import { TRAINING_KEY_ID } from '../../../native/policy-update/keys';
import { PolicySignatureError, signPackage, verifySignedPackage, type SignedPackage } from '../../../native/policy-update/signed-package';
import { httpUpdateSource, PolicyUpdater } from '../../../native/policy-update/updater';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { TRAINING_PRIVATE_KEY_PEM } from '../../../native/sandbox/training-signing-key';
import { sandbox, tempDir } from './fixture';

let sb: RunningSandbox;
let store: PolicyStore;
let close: () => void;

beforeAll(async () => {
  sb = await sandbox();
  const opened = openPolicyStore(join(tempDir('policy'), 'store.db'));
  store = opened.store;
  close = () => store.db.close();
});
afterAll(async () => { close(); await sb.close(); });

/** The same 南昌 rules as a later version: a training fixture, no new numbers. */
function nanchangUpdate(id = '360100-nanchang-2026-training') {
  const base = structuredClone(embeddedPackages().find((p) => p.region.code === '360100')!);
  return { ...base, id, effective: { ...base.effective, from: { ...base.effective.from, value: '2026-01-01' } }, document: { ...base.document, notes: [...base.document.notes, '培训用更新包（测试夹具），规则与原版本相同'] } };
}

const updater = (source: () => Promise<unknown>) => new PolicyUpdater({ source, importPackage: (json, origin) => store.importPackage(json, origin), origin: 'sandbox' });
const feedUrl = () => `${sb.url}sandbox/policy-packages`;
const ids = () => store.versions().map((v) => v.id).sort();

describe('signed policy updates', () => {
  test('the sandbox publishes the packages it prices with, signed; importing them again changes nothing', async () => {
    const before = ids();
    const report = await updater(httpUpdateSource(feedUrl())).checkNow();
    expect(report.refused).toEqual([]);
    expect(report.added).toEqual([]);
    expect([...report.unchanged].sort()).toEqual(embeddedPackages().map((p) => p.id).sort());
    expect(ids()).toEqual(before);
  });

  test('a newly published version is verified and added as history', async () => {
    sb.centre.publishPackage(nanchangUpdate());
    const report = await updater(httpUpdateSource(feedUrl())).checkNow();
    expect(report.added).toEqual(['360100-nanchang-2026-training']);
    expect(store.versions('360100').map((v) => [v.id, v.effectiveFrom])).toEqual([['360100-nanchang-2023-draft', '2023-01-01'], ['360100-nanchang-2026-training', '2026-01-01']]);
    expect(store.versions('360100')[1]!.origin).toMatch(/signed by ybjs-training-2025/);
  });

  test('a tampered package is refused and the store keeps the version it had', async () => {
    const genuine = signPackage(nanchangUpdate('360100-nanchang-2027-training'), TRAINING_PRIVATE_KEY_PEM, TRAINING_KEY_ID);
    const altered = JSON.parse(Buffer.from(genuine.payload, 'base64').toString('utf8'));
    altered.rules.cap.active.value = '99999';
    const tampered: SignedPackage = { ...genuine, payload: Buffer.from(JSON.stringify(altered)).toString('base64') };
    const flipped: SignedPackage = { ...genuine, signature: Buffer.from(Buffer.from(genuine.signature, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64') };
    const before = ids();
    const report = await updater(async () => ({ packages: [tampered, flipped] })).checkNow();
    expect(report.added).toEqual([]);
    expect(report.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/signature does not match/), expect.stringMatching(/signature does not match/)]);
    expect(ids()).toEqual(before);
  });

  test('unsigned, foreign-key and malformed packages are refused, each saying why', async () => {
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const foreign = signPackage(nanchangUpdate('360100-nanchang-2028-training'), other, 'someone-else');
    const wrongKeySameId = signPackage(nanchangUpdate('360100-nanchang-2028-training'), other, TRAINING_KEY_ID);
    const before = ids();
    const report = await updater(async () => ({ packages: [nanchangUpdate('360100-nanchang-2028-training'), foreign, wrongKeySameId, { format: 'ybjs-signed-policy-package/1', keyId: TRAINING_KEY_ID, algorithm: 'RSA', payload: '', signature: '' }] })).checkNow();
    expect(report.refused.map((r) => r.reason)).toEqual([
      expect.stringMatching(/not signed/),
      expect.stringMatching(/key "someone-else", which this app does not trust/),
      expect.stringMatching(/signature does not match/),
      expect.stringMatching(/algorithm/),
    ]);
    expect(ids()).toEqual(before);
  });

  test('a correctly signed package is still validated by the store: bad content or a rewritten version is refused', async () => {
    const broken = signPackage({ ...nanchangUpdate('360100-nanchang-2029-training'), rules: 'none' }, TRAINING_PRIVATE_KEY_PEM, TRAINING_KEY_ID);
    const rewrite = signPackage({ ...nanchangUpdate('360100-nanchang-2026-training'), document: { ...nanchangUpdate().document, title: '改写' } }, TRAINING_PRIVATE_KEY_PEM, TRAINING_KEY_ID);
    const before = ids();
    const report = await updater(async () => ({ packages: [broken, rewrite] })).checkNow();
    expect(report.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/rules/), expect.stringMatching(/already stored with different content/)]);
    expect(ids()).toEqual(before);
  });

  test('verification happens before parsing: an unparsable signed payload never reaches the store', () => {
    const signed = signPackage('x', TRAINING_PRIVATE_KEY_PEM, TRAINING_KEY_ID);
    const garbage = { ...signed, payload: Buffer.from('{not json').toString('base64') };
    expect(() => verifySignedPackage(garbage)).toThrow(PolicySignatureError);
    expect(verifySignedPackage(signed).package).toBe('x');
  });
});
