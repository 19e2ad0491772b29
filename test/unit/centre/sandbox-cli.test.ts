import { describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { sandboxConfigFromArgs, DEFAULT_SANDBOX_PORT } from '../../../electron/cli/sandbox';
import { writeSecret } from '../../../native/centre/security/keys';

describe('npm run sandbox flags', () => {
  test('defaults: port 17660, a sandbox folder under the data dir, no faults', () => {
    const c = sandboxConfigFromArgs([], { XDG_DATA_HOME: '/data' });
    expect(c).toMatchObject({ port: DEFAULT_SANDBOX_PORT, quiet: false, faults: {}, publish: null, security: { mode: 'plain' } });
    expect(c.edition.id).toBe('national');
    expect(sandboxConfigFromArgs(['--edition', 'shenzhen']).edition.id).toBe('shenzhen');
    expect(c.dataDir).toMatch(/yibao-jiesuan[/\\]sandbox$/);
  });

  test('fault flags become a fault config', () => {
    const c = sandboxConfigFromArgs(['--port', '0', '--data-dir', '/tmp/x', '--latency-ms', '5-50', '--answer-ms', '800', '--drop-rate', '0.1', '--duplicate-rate', '0.05',
      '--refuse-rate', '0.02', '--refuse-ms', '300', '--error-rate', '0.03', '--hostile', 'non_json', '--hostile-rate', '0.5', '--fault-infnos', '2102,5203', '--seed', '9']);
    expect(c).toMatchObject({ port: 0, dataDir: '/tmp/x' });
    expect(c.faults).toEqual({ seed: 9, latencyMs: [5, 50], answerMs: [800, 800], refuseRate: 0.02, refuseMs: 300, error5xxRate: 0.03, dropAfterCommitRate: 0.1, duplicateReplyRate: 0.05, hostile: 'non_json', hostileRate: 0.5, infnos: ['2102', '5203'] });
  });

  test('--security sm4-sm2 takes the other half of a terminal\'s keys from --keys-dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ybjs-cli-keys-'));
    const pair = sm2.generateKeyPairHex();
    writeSecret(dir, 'sm4.key', '00112233445566778899aabbccddeeff');
    writeSecret(dir, 'sm2-private.key', pair.privateKey);
    const c = sandboxConfigFromArgs(['--edition', 'jilin', '--security', 'sm4-sm2', '--keys-dir', dir]);
    expect(c.security).toEqual({ mode: 'sm4-sm2', sm4Key: new Uint8Array(Buffer.from('00112233445566778899aabbccddeeff', 'hex')), clientPublicKey: pair.publicKey });
  });

  test.each([
    [['--port', '70000'], /--port: must be a whole number from 0 to 65535/],
    [['--drop-rate', '1.5'], /--drop-rate: must be a probability/],
    [['--latency-ms', '50-5'], /--latency-ms: must be N or MIN-MAX/],
    [['--answer-ms', 'soon'], /--answer-ms: must be N or MIN-MAX/],
    [['--hostile', 'evil'], /--hostile: must be one of wrong_types/],
    [['--fault-infnos', '21O2'], /--fault-infnos/],
    [['--colour'], /Unknown option '--colour'/],
    [['--publish', '/nonexistent/package.json'], /--publish: .*ENOENT/],
    [['extra'], /unexpected argument "extra"/],
    [['--edition', 'atlantis'], /--edition: no edition named "atlantis"/],
    [['--security', 'rot13'], /--security: must be one of plain, tif-headers, sm4-sm2/],
    [['--security', 'sm4-sm2'], /--security: national cannot run sm4-sm2/],
    [['--edition', 'jilin', '--security', 'sm4-sm2'], /--keys-dir: needed with --security sm4-sm2/],
    [['--edition', 'jilin', '--security', 'sm4-sm2', '--keys-dir', '/nonexistent'], /--keys-dir: 缺少密钥文件 .*sm4\.key/],
    [['--security', 'tif-headers', '--keys-dir', '/nonexistent'], /--paas-id: needed/],
  ])('%j is refused naming the argument', (argv, message) => {
    expect(() => sandboxConfigFromArgs(argv as string[])).toThrow(message);
  });
});
