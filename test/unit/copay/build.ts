// Builders for quote inputs in tests: a default purchase, changed only where a test says so.
import { type QuoteInput } from '../../../core/copay/contract';
import { quote } from '../../../core/copay/engine';
import { embeddedPackages } from '../../../core/policy/embedded';

type Line = QuoteInput['lines'][number];

export const drugA = (qty: string, price: string, extra: Partial<Line> = {}): Line => ({ code: 'A', qty, price, listClass: 'A', ...extra });

export interface Case {
  region?: string;
  date?: string;
  status?: 'active' | 'retired';
  retiredOn?: string;
  hospitalized?: boolean;
  suspended?: boolean;
  met?: string;
  paid?: string;
  balance?: string;
  useAccount?: boolean;
  /** null = no prescription. */
  level?: 1 | 2 | 3 | null;
  priceClass?: 1 | 2 | 3;
  designated?: boolean;
  lines?: Line[];
}

export function input(c: Case): QuoteInput {
  return {
    region: c.region ?? '420300',
    date: c.date ?? '2023-03-15',
    person: {
      status: c.status ?? 'active',
      ...(c.retiredOn ? { retiredOn: c.retiredOn } : {}),
      hospitalized: c.hospitalized ?? false,
      suspended: c.suspended ?? false,
    },
    year: { deductibleMet: c.met ?? '0.00', fundPaid: c.paid ?? '0.00' },
    account: { balance: c.balance ?? '0.00', use: c.useAccount ?? true },
    prescription: c.level === null ? null : {
      issuerLevel: c.level ?? 1,
      ...(c.priceClass ? { issuerPriceClass: c.priceClass } : {}),
      ...(c.designated === undefined ? {} : { issuerDesignated: c.designated }),
    },
    lines: c.lines ?? [drugA('1', '100.00')],
  };
}

export const q = (c: Case) => quote(input(c), embeddedPackages());
