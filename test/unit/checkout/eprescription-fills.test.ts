// The e-prescription reuse counters (core/checkout/eprescription-fills.ts).
import { describe, expect, test } from 'vitest';
import { rxFillsUsedUp } from '../../../core/checkout/eprescription-fills';

describe('e-prescription fills', () => {
  test('single use: the first fill is allowed, the second refused', () => {
    expect(rxFillsUsedUp({ rept_flag: '0', max_rept_cnt: 0, reptd_cnt: 0 })).toBeNull();
    expect(rxFillsUsedUp({ rept_flag: '0', max_rept_cnt: 0, reptd_cnt: 1 })).toMatch(/已取药 1 次（仅可取药一次）/);
    expect(rxFillsUsedUp({ rept_flag: '', max_rept_cnt: null, reptd_cnt: 1 })).toMatch(/仅可取药一次/);
  });

  test('reusable: up to max_rept_cnt fills', () => {
    expect(rxFillsUsedUp({ rept_flag: '1', max_rept_cnt: 3, reptd_cnt: 2 })).toBeNull();
    expect(rxFillsUsedUp({ rept_flag: '1', max_rept_cnt: 3, reptd_cnt: 3 })).toMatch(/已取药 3 次（可复用 3 次）/);
  });

  test('counters the centre left out are unknown: not refused here', () => {
    expect(rxFillsUsedUp({ rept_flag: '0', max_rept_cnt: null, reptd_cnt: null })).toBeNull();
    expect(rxFillsUsedUp({ rept_flag: '1', max_rept_cnt: null, reptd_cnt: 5 })).toBeNull();
  });
});
