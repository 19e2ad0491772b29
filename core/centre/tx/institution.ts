// 1201 医药机构信息获取: the prescription issuer's level (hosp_lv), for the pooled-fund tier.
// Field list [P]; hosp_lv table [P/U]: 01 三级特等 02 三级甲等 03 三级乙等 04 三级丙等 05 二级甲等
// 06 二级乙等 07 二级丙等 08 一级甲等 09 一级乙等 10 一级丙等 11 无等级 (nhsa-interface.md §4).
import { z } from 'zod';
import { code, optionalCode } from '../fields';

export const InstitutionInfoInput = z.object({
  medinsinfo: z.object({
    fixmedins_type: optionalCode(6),
    fixmedins_name: optionalCode(200),
    fixmedins_code: optionalCode(30),
  }).refine((m) => m.fixmedins_code !== '' || m.fixmedins_name !== '', { message: 'give fixmedins_code or fixmedins_name', path: ['fixmedins_code'] }),
});
export type InstitutionInfoInput = z.input<typeof InstitutionInfoInput>;

export const InstitutionInfoOutput = z.object({
  medinsinfo: z.array(z.object({
    fixmedins_code: code(30),
    fixmedins_name: code(200),
    uscc: optionalCode(50),
    fixmedins_type: optionalCode(6),
    hosp_lv: optionalCode(6),
  })),
});
export type InstitutionInfoOutput = z.infer<typeof InstitutionInfoOutput>;

/** Level 1/2/3 from hosp_lv, or null for 无等级 / unknown codes. */
export function levelOfHospLv(hospLv: string): 1 | 2 | 3 | null {
  const n = Number(hospLv);
  if (!/^\d{2}$/.test(hospLv)) return null;
  if (n >= 1 && n <= 4) return 3;
  if (n >= 5 && n <= 7) return 2;
  if (n >= 8 && n <= 10) return 1;
  return null;
}

/** The hosp_lv the sandbox reports for a level (the 甲等 grade of that level). */
export function hospLvOfLevel(level: 1 | 2 | 3): string {
  return level === 3 ? '02' : level === 2 ? '05' : '08';
}
