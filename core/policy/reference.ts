// Reference data the policy store keeps next to the policies: institutions (who may prescribe, at
// which level/price class) and the catalogue (甲/乙/丙, 先自付 ratio, price limit). The rows shipped
// in training/ are made up for training and tests — codes start with "TRAIN-", names with "【培训】".
import { z } from 'zod';
import { DecimalText, ItemKind, ListClass, RatioText, Tier } from '../copay/contract';
import catalogue from './training/catalogue.json';
import institutions from './training/institutions.json';

export const Institution = z.strictObject({
  /** 定点医药机构编码 (fixmedins_code). */
  code: z.string().min(1),
  name: z.string().min(1),
  /** The administrative region the institution is in (six digits). */
  region: z.string().regex(/^\d{6}$/, 'must be a six-digit region code'),
  /** 1 = 一级 (and below), 2 = 二级, 3 = 三级. */
  level: Tier,
  /** 1 = 一类, 2 = 二类, 3 = 三类 收费价格类别; null where the region does not use it or it is not known. */
  priceClass: Tier.nullable(),
  designated: z.boolean(),
  training: z.boolean(),
});
export type Institution = z.infer<typeof Institution>;

export const CatalogueItem = z.strictObject({
  code: z.string().min(1),
  name: z.string().min(1),
  listClass: ListClass,
  /** 乙类 先自付 ratio; null for 甲/丙. */
  selfPayRatio: RatioText.nullable(),
  /** 支付标准 per unit; null when none. */
  limitPrice: DecimalText.nullable(),
  kind: ItemKind,
  training: z.boolean(),
});
export type CatalogueItem = z.infer<typeof CatalogueItem>;

export const TRAINING_PREFIX = 'TRAIN-';

export function trainingInstitutions(): Institution[] {
  return z.array(Institution).parse(institutions);
}

export function trainingCatalogue(): CatalogueItem[] {
  return z.array(CatalogueItem).parse(catalogue);
}
