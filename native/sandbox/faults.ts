// Fault injection for the sandbox centre. Each request draws from a seeded generator, so a failing
// test run can be replayed with the same seed. Rates are probabilities per request.
//
//   latencyMs        [min, max] delay before the request is handled
//   answerMs         [min, max] answer this long after the request arrived, the centre's own work
//                    included (a platform that takes its ~0.8 s whatever the work); 0 = no wait
//   refuseRate/Ms    after answering, stop listening for refuseMs (clients then get ECONNREFUSED)
//   error5xxRate     answer 503 without doing anything
//   error5xxAfterCommitRate  do the work, commit, then answer 502 (a gateway failing on the way back)
//   businessErrorRate answer infcode -1 "模拟业务错误" without doing anything
//   dropAfterCommitRate  do the work, commit, then cut the connection without a reply
//   duplicateReplyRate   do the work and write the HTTP reply twice on the socket
//   hostile/hostileRate  do the work, commit, then answer with a malformed reply of that kind
//   rowRejectRate    3505/3506 rows refused one by one (a business refusal of that row alone)
import { z } from 'zod';

export const HOSTILE_KINDS = ['wrong_types', 'missing_fields', 'huge_body', 'non_json', 'truncated', 'wrong_echo'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

const rate = z.number().min(0).max(1);

export const FaultConfig = z.strictObject({
  seed: z.number().int().default(1),
  latencyMs: z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => a <= b, 'min must not exceed max').default([0, 0]),
  answerMs: z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => a <= b, 'min must not exceed max').default([0, 0]),
  refuseRate: rate.default(0),
  refuseMs: z.number().int().min(1).max(600_000).default(200),
  error5xxRate: rate.default(0),
  error5xxAfterCommitRate: rate.default(0),
  businessErrorRate: rate.default(0),
  dropAfterCommitRate: rate.default(0),
  duplicateReplyRate: rate.default(0),
  hostile: z.enum(HOSTILE_KINDS).nullable().default(null),
  hostileRate: rate.default(1),
  /** 3505/3506 (and A forms): the share of rows refused one by one (retRslt 0, or infcode -1 for a classic row). */
  rowRejectRate: rate.default(0),
  /** Only these transactions suffer faults; empty = all. */
  infnos: z.array(z.string().regex(/^\d{4}[A-Z]?$/)).default([]),
});
export type FaultConfig = z.output<typeof FaultConfig>;
export type FaultConfigInput = z.input<typeof FaultConfig>;

export const NO_FAULTS: FaultConfig = FaultConfig.parse({});

/** mulberry32: small, fast, good enough for fault schedules; not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What happens before the work is done. */
export type BeforeFault = 'none' | 'error5xx' | 'business_error';
/** What happens to the reply after the work is committed. */
export type AfterFault = 'none' | 'error5xx' | 'drop' | 'duplicate' | { hostile: HostileKind };

export interface FaultPlan {
  readonly latencyMs: number;
  /** The reply leaves no earlier than this long after the request arrived (ms; 0 = at once). */
  readonly answerMs: number;
  readonly before: BeforeFault;
  readonly after: AfterFault;
  readonly refuseAfter: boolean;
}

export const CLEAN_PLAN: FaultPlan = { latencyMs: 0, answerMs: 0, before: 'none', after: 'none', refuseAfter: false };

export function planFaults(config: FaultConfig, infno: string, random: () => number): FaultPlan {
  if (config.infnos.length > 0 && !config.infnos.includes(infno)) return CLEAN_PLAN;
  const [lo, hi] = config.latencyMs;
  const latencyMs = hi > lo ? Math.round(lo + random() * (hi - lo)) : lo;
  const [alo, ahi] = config.answerMs;
  const answerMs = ahi > alo ? Math.round(alo + random() * (ahi - alo)) : alo;
  const hit = (p: number): boolean => p > 0 && random() < p;
  const before: BeforeFault = hit(config.error5xxRate) ? 'error5xx' : hit(config.businessErrorRate) ? 'business_error' : 'none';
  let after: AfterFault = 'none';
  if (before === 'none') {
    if (config.hostile && hit(config.hostileRate)) after = { hostile: config.hostile };
    else if (hit(config.dropAfterCommitRate)) after = 'drop';
    else if (hit(config.error5xxAfterCommitRate)) after = 'error5xx';
    else if (hit(config.duplicateReplyRate)) after = 'duplicate';
  }
  return { latencyMs, answerMs, before, after, refuseAfter: hit(config.refuseRate) };
}
