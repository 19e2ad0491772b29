// The annual pooled-fund cap left for a person: the policy's cap minus what the year has used.
// Unknown when the policy in force does not give a cap (or no policy is in force): never invented.
import { fmt, max, money, ZERO } from '../money/money';
import { type PolicyPackage } from '../policy/package';
import { selectVersion, type PolicyLookup } from '../policy/select';

export function annualCapLeft(
  packages: readonly PolicyPackage[] | PolicyLookup, region: string, date: string, status: 'active' | 'retired', fundPaid: string,
): string | null {
  const selection = selectVersion(packages, region, date);
  if (selection.kind !== 'inForce') return null;
  const cap = selection.pkg.rules.cap[status];
  if (!cap.known) return null;
  return fmt(max(ZERO, money(cap.value).minus(money(fundPaid))));
}
