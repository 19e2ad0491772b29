// What the sandbox, as a platform, does with a message before any business logic: the gateway
// security of its mode (x-tif headers, SM4 decryption and the cainfo signature), then the edition's
// envelope and input field sets (unknown, missing, overlong), then our own schemas. Every refusal is
// the err_msg of an infcode -1 answer. And the way back: the output in the edition's shape, sealed.
import { type EditionProfile, type EditionTransaction } from '../../core/centre/editions/schema';
import { checkWire, describeProblemsZh, fromWire, toWire } from '../../core/centre/editions/wire';
import { RequestEnvelope } from '../../core/centre/envelope';
import { describeIssues } from '../../core/centre/fields';
import { isInfno, TRANSACTIONS, type Infno } from '../../core/centre/transactions';
import { SmPayloadError, sm2VerifyBase64, sm4DecryptText, sm4EncryptText } from '../centre/security/sm';
import { verifyTifHeaders } from '../centre/security/tif';

export type SandboxSecurity =
  | { readonly mode: 'plain' }
  | { readonly mode: 'tif-headers'; readonly paasId: string; readonly paasToken: string }
  /** The pharmacy's SM4 key and SM2 public key, as the centre registers them. */
  | { readonly mode: 'sm4-sm2'; readonly sm4Key: Uint8Array; readonly clientPublicKey: string };

export type Opened =
  | { readonly ok: true; readonly infno: Infno; readonly tx: EditionTransaction; readonly env: RequestEnvelope; readonly input: unknown }
  | { readonly ok: false; readonly refusal: string };

const refuse = (refusal: string): Opened => ({ ok: false, refusal });

/** The internal infno a wire code stands for in this edition, or null. */
export function infnoOf(edition: EditionProfile, code: string): Infno | null {
  const found = Object.entries(edition.transactions).find(([, tx]) => tx.code === code)?.[0];
  return found !== undefined && isInfno(found) ? found : null;
}

export function openMessage(
  body: unknown,
  request: { readonly path: string; readonly headers: Readonly<Record<string, string | string[] | undefined>> },
  edition: EditionProfile,
  security: SandboxSecurity,
): Opened {
  if (security.mode === 'tif-headers') {
    // The gateway checks freshness against the wall clock, not the sandbox's business clock.
    const verdict = verifyTifHeaders(request.headers, security, new Date());
    if (!verdict.ok) return refuse(`网关鉴权失败: ${verdict.reason}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse(body === null ? '报文不是合法的 JSON' : '报文格式错误: 应为 JSON 对象');
  const { input: wireInput, ...head } = body as Record<string, unknown>;
  const headProblems = checkWire({ fields: edition.envelope.request }, head, '');
  if (headProblems.length) return refuse(`报文格式错误: ${describeProblemsZh(headProblems)}`);
  const code = typeof head.infno === 'string' ? head.infno : '';
  const infno = infnoOf(edition, code);
  if (!infno) return refuse(`不支持的交易编号 ${code}（接口版本 ${edition.name}）`);
  const tx = edition.transactions[infno]!;
  if (edition.url.layout === 'per-transaction' && tx.path !== request.path) return refuse(`交易 ${code} 的地址应为 ${tx.path}`);

  let plainInput: unknown = wireInput;
  if (security.mode === 'sm4-sm2') {
    if (typeof wireInput !== 'string') return refuse('报文未加密: input 应为 SM4 密文');
    let decrypted: string;
    try { decrypted = sm4DecryptText(wireInput, security.sm4Key, 'input'); } catch (error) {
      return refuse(`报文解密失败: ${error instanceof SmPayloadError ? error.message : 'input'}`);
    }
    if (!sm2VerifyBase64(decrypted, typeof head.cainfo === 'string' ? head.cainfo : '', security.clientPublicKey)) return refuse('数字签名验证失败: cainfo 与报文内容或机构公钥不符');
    try { plainInput = JSON.parse(decrypted); } catch { return refuse('报文解密失败: 解密后不是 JSON'); }
  }
  const inputProblems = checkWire(tx.input, plainInput);
  if (inputProblems.length) return refuse(`输入参数错误: ${describeProblemsZh(inputProblems)}`);

  const defaults = { insuplc_admdvs: '', dev_no: '', dev_safe_info: '', cainfo: '', signtype: '', sign_no: '' };
  const env = RequestEnvelope.safeParse({ ...defaults, ...fromWire({ fields: edition.envelope.request }, head) as object, infno, input: fromWire(tx.input, plainInput) });
  if (!env.success) return refuse(`报文格式错误: ${describeIssues(env.error)}`);
  const spec = TRANSACTIONS[infno];
  const input = spec.input.safeParse(env.data.input);
  if (!input.success) return refuse(`输入参数错误: ${describeIssues(input.error, 'input')}`);
  if (spec.personal && env.data.insuplc_admdvs === '') return refuse('insuplc_admdvs: 参保地医保区划不能为空');
  return { ok: true, infno, tx, env: env.data, input: input.data };
}

/** The output in the edition's shape (its fields, its names), encrypted in SM4/SM2 mode. */
export function sealOutput(output: unknown, tx: EditionTransaction, security: SandboxSecurity): unknown {
  const shaped = tx.output === null || tx.output === 'file' || output === null || typeof output !== 'object' ? output : toWire(tx.output, output as Record<string, unknown>, 'output.').message;
  return security.mode === 'sm4-sm2' && shaped !== null && shaped !== undefined ? sm4EncryptText(JSON.stringify(shaped), security.sm4Key) : shaped;
}
