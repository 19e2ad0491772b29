// The training institutions and catalogue: valid, and unmistakably not real.
import { describe, expect, it } from 'vitest';
import { TRAINING_PREFIX, trainingCatalogue, trainingInstitutions } from '../../../core/policy/reference';

describe('training reference data', () => {
  it('institutions: every seed region, levels 1–3, one non-designated, one 山西 without a price class, all marked training', () => {
    const list = trainingInstitutions();
    for (const prefix of ['4203', '3601', '14', '50', '5323']) {
      const here = list.filter((i) => i.region.startsWith(prefix));
      expect(new Set(here.map((i) => i.level))).toEqual(new Set([1, 2, 3]));
    }
    expect(list.filter((i) => !i.designated)).toHaveLength(1);
    expect(list.some((i) => i.region.startsWith('14') && i.priceClass === null)).toBe(true);
    for (const i of list) {
      expect(i.training).toBe(true);
      expect(i.code.startsWith(TRAINING_PREFIX)).toBe(true);
      expect(i.name).toContain('【培训】');
    }
  });

  it('catalogue: 甲 with and without a limit, 乙 with and without, 丙, a device, a consumable and non-medical goods', () => {
    const list = trainingCatalogue();
    expect(list.some((c) => c.listClass === 'A' && c.limitPrice === null)).toBe(true);
    expect(list.some((c) => c.listClass === 'A' && c.limitPrice !== null)).toBe(true);
    expect(list.some((c) => c.listClass === 'B' && c.selfPayRatio !== null && c.limitPrice === null)).toBe(true);
    expect(list.some((c) => c.listClass === 'B' && c.limitPrice !== null)).toBe(true);
    expect(list.some((c) => c.listClass === 'C' && c.kind === 'drug')).toBe(true);
    expect(new Set(list.map((c) => c.kind))).toEqual(new Set(['drug', 'device', 'consumable', 'other']));
    for (const c of list) {
      expect(c.training).toBe(true);
      expect(c.code.startsWith(TRAINING_PREFIX)).toBe(true);
      if (c.listClass !== 'B') expect(c.selfPayRatio).toBeNull();
    }
  });
});
