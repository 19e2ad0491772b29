// The reuse counters of a downloaded e-prescription (7203 data: rept_flag 复用标志, max_rept_cnt
// 最大使用次数, reptd_cnt 已使用次数 — restated from binzhe12123/Medical
// SY.Com.Medical.Model/SYB/CFZX/CFXZ7203.cs [P: one province's edition]). A single-use prescription
// (rept_flag 0) may be filled once; a reusable one up to max_rept_cnt times. Counters the centre left
// out are unknown: then the prescription is not refused here (the centre's 2102 still checks).
export interface RxCounters {
  readonly rept_flag: string;
  readonly max_rept_cnt: number | null;
  readonly reptd_cnt: number | null;
}

/** The cashier's message when no fill is left, or null when one is (or the counters are unknown). */
export function rxFillsUsedUp(rx: RxCounters): string | null {
  if (rx.reptd_cnt === null) return null;
  const reusable = rx.rept_flag === '1';
  if (reusable && rx.max_rept_cnt === null) return null;
  const allowed = reusable ? rx.max_rept_cnt! : 1;
  if (rx.reptd_cnt < allowed) return null;
  return `这张电子处方已取药 ${rx.reptd_cnt} 次（${reusable ? `可复用 ${allowed} 次` : '仅可取药一次'}），不能再次结算：请患者联系开方医生重新开具`;
}
