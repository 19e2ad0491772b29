// Drug traceability codes (药品追溯码): one per physical package, 20 digits starting with 8.
// The national verification service ignores other formats, so we refuse them at the till.

const TRACE_CODE = /^8\d{19}$/;

export function isTraceCode(text: string): boolean {
  return TRACE_CODE.test(text);
}

export type TraceCodeProblem =
  | { code: 'TRACE_CODE_FORMAT'; traceCode: string; message: string }
  | { code: 'TRACE_CODE_DUPLICATE'; traceCode: string; message: string }
  | { code: 'TRACE_CODE_ALREADY_SOLD'; traceCode: string; message: string }
  | { code: 'TRACE_CODE_COUNT'; traceCode: string; message: string };

/**
 * Checks the codes scanned for one line. A whole-box line carries one code per box (qty codes);
 * a 拆零 (split-pack) line carries the code of the opened box, which may have been sold from before.
 */
export function checkLineTraceCodes(
  line: { sku: string; qty: string; split: boolean; traceCodes: readonly string[] },
  alreadySold: (code: string) => boolean,
  seenInBasket: Set<string>,
): TraceCodeProblem[] {
  const problems: TraceCodeProblem[] = [];
  for (const code of line.traceCodes) {
    if (!isTraceCode(code)) {
      problems.push({ code: 'TRACE_CODE_FORMAT', traceCode: code, message: `追溯码 ${code} 格式不对：应为以 8 开头的 20 位数字` });
      continue;
    }
    if (seenInBasket.has(code) && !line.split) problems.push({ code: 'TRACE_CODE_DUPLICATE', traceCode: code, message: `追溯码 ${code} 在本单中重复扫描` });
    else if (!line.split && alreadySold(code)) problems.push({ code: 'TRACE_CODE_ALREADY_SOLD', traceCode: code, message: `追溯码 ${code} 已售出过，不能重复销售（可能为回流药品或串码）` });
    seenInBasket.add(code);
  }
  if (!line.split && line.traceCodes.length > 0 && /^\d+$/.test(line.qty) && Number(line.qty) !== line.traceCodes.length) {
    problems.push({ code: 'TRACE_CODE_COUNT', traceCode: '', message: `商品 ${line.sku} 数量 ${line.qty} 与扫描的追溯码个数 ${line.traceCodes.length} 不一致：整盒销售每盒扫一个码` });
  }
  return problems;
}
