// A policy package: one version of one region's outpatient pooling (普通门诊统筹) rules, as data.
// Every parameter carries where it comes from; a number the document does not give is recorded as
// unknown with the reason, never filled in. Packages arrive from files and the store, so this is a
// boundary: parsePolicyPackage() validates and names the offending field.
import { z } from 'zod';
import { AmountText, DateText } from '../copay/contract';

export const PACKAGE_FORMAT = 'yibao-policy-package/1';

/** Where a value comes from: an article of the package's document, quoted verbatim, or a product rule. */
export const Source = z.discriminatedUnion('from', [
  z.strictObject({
    from: z.literal('document'),
    /** e.g. "第五条"; "第五条第2项". */
    article: z.string().min(1),
    /** A verbatim excerpt of the source text (whitespace aside), so anyone can find it. */
    text: z.string().min(1),
    note: z.string().min(1).optional(),
  }),
  z.strictObject({
    from: z.literal('product-rule'),
    /** Why the product decides this, and where the document is silent. */
    note: z.string().min(1),
  }),
]);
export type Source = z.infer<typeof Source>;

const known = <T extends z.ZodType>(value: T) => z.strictObject({ known: z.literal(true), value, source: Source });
const Unknown = z.strictObject({
  known: z.literal(false),
  /** Why the value is not known (truncated text, only a floor is given, …). */
  why: z.string().min(1),
  /** Where the document talks about it without giving a value, if it does. */
  source: Source.optional(),
});
/** A parameter: known with its source, or explicitly unknown with the reason. */
export const param = <T extends z.ZodType>(value: T) => z.discriminatedUnion('known', [known(value), Unknown]);
export type Param<T> = { known: true; value: T; source: Source } | { known: false; why: string; source?: Source };

export const RatioValue = z.string().regex(/^(0(\.\d{1,2})?|1(\.0{1,2})?)$/, 'must be a ratio string with at most two decimals between 0 and 1, e.g. "0.65"');

/** Values by tier: "1", "2", "3" are 一级/二级/三级 when tierBasis is level, 一类/二类/三类 when it is priceClass. */
const byTier = <T extends z.ZodType>(value: T) => z.strictObject({ 1: param(value), 2: param(value), 3: param(value) });
const byStatus = <T extends z.ZodType>(value: T) => z.strictObject({ active: value, retired: value });

const Deductible = z.discriminatedUnion('basis', [
  /** Accumulates over the calendar year: min(in-scope, amount − met so far). */
  z.strictObject({ basis: z.literal('annual'), source: Source, amount: byStatus(param(AmountText)) }),
  /** Applies afresh on every visit: min(in-scope, amount for the tier). */
  z.strictObject({ basis: z.literal('perVisit'), source: Source, amount: byStatus(byTier(AmountText)) }),
  z.strictObject({ basis: z.literal('unknown'), why: z.string().min(1) }),
]);

export const PolicyPackage = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  /** The version id, unique across all regions, e.g. "420300-shiyan-2022-61". */
  id: z.string().regex(/^[0-9a-z][0-9a-z.-]{2,79}$/, 'must be 3–80 characters of a-z, 0-9, "." and "-"'),
  region: z.strictObject({
    /** The pooling region's code: a city (420300) or a province (140000). */
    code: z.string().regex(/^\d{6}$/, 'must be a six-digit region code'),
    name: z.string().min(1),
    /** city: matches codes with the same first four digits; province: the same first two. */
    scope: z.enum(['city', 'province']),
  }),
  document: z.strictObject({
    /** How explain lines cite it, e.g. "十政办发〔2022〕61号". */
    citeAs: z.string().min(1),
    number: z.string().min(1).nullable(),
    title: z.string().min(1),
    issuer: z.string().min(1),
    issued: DateText.nullable(),
    /** draft = 征求意见稿: the numbers may differ from what was finally published. */
    status: z.enum(['final', 'draft']),
    /** Our copy ends mid-sentence in places; values there are unknown. */
    truncated: z.boolean(),
    /** The copy of the text the provenance quotes, in core/policy/sources/. */
    sourceFile: z.string().regex(/^[a-z0-9-]+\.txt$/, 'must be a file name in core/policy/sources/'),
    forwardedBy: z.string().min(1).optional(),
    notes: z.array(z.string().min(1)).default([]),
  }),
  effective: z.strictObject({
    /** First day in force. */
    from: param(DateText),
    /** Last day in force (inclusive) when the document sets an end; null: until the next version starts. */
    to: param(DateText.nullable()),
  }),
  rules: z.strictObject({
    /** Which of the prescribing institution's attributes picks the tier. */
    tierBasis: param(z.enum(['level', 'priceClass'])),
    deductible: Deductible,
    ratio: byStatus(byTier(RatioValue)),
    /** Annual cap of the pooled fund for ordinary outpatient care. */
    cap: byStatus(param(AmountText)),
    /** When retired rates start: on the person's status, or from the month after retirement was completed (南昌 第八条). */
    retiredRatesFrom: param(z.enum(['status', 'monthAfterRetirement'])),
  }),
  /** Articles the engine cites for its gates; the gates apply everywhere (issue 3), these are the local wording. */
  citations: z.strictObject({
    externalPrescription: Source,
    designated: Source,
    hospitalized: Source,
    suspended: Source,
    account: Source,
  }),
}).superRefine((pkg, ctx) => {
  const from = pkg.effective.from;
  const to = pkg.effective.to;
  if (from.known && to.known && to.value !== null && to.value < from.value) {
    ctx.addIssue({ code: 'custom', path: ['effective', 'to', 'value'], message: `ends (${to.value}) before it starts (${from.value})` });
  }
});
export type PolicyPackage = z.output<typeof PolicyPackage>;
export type TierKey = 1 | 2 | 3;

export class PolicyPackageError extends Error {
  constructor(readonly issues: readonly string[], where?: string) {
    super(`${where ? `${where}: ` : ''}invalid policy package: ${issues.join('; ')}`);
  }
}

/** Validate a package (parsed JSON); throws PolicyPackageError naming each offending field. */
export function parsePolicyPackage(json: unknown, where?: string): PolicyPackage {
  const parsed = PolicyPackage.safeParse(json);
  if (!parsed.success) {
    throw new PolicyPackageError(parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(package)'}: ${i.message}`), where);
  }
  return parsed.data;
}

/** Whether a package's region covers an insured region code, and how specifically (higher wins). */
export function regionMatch(pkg: PolicyPackage, regionCode: string): number {
  if (pkg.region.code === regionCode) return 3;
  if (pkg.region.scope === 'city' && pkg.region.code.slice(0, 4) === regionCode.slice(0, 4)) return 2;
  if (pkg.region.scope === 'province' && pkg.region.code.slice(0, 2) === regionCode.slice(0, 2)) return 1;
  return 0;
}
