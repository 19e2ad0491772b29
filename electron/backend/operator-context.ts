// Which operator a centre call is made for. Every authenticated API request runs inside
// `asOperator(principal, …)` (http/routes.ts), so the centre client names that operator as 经办人
// and uses their daily sign-in (9001). Calls outside a request (the background sync engine) have
// no operator here and use the terminal identity's opter.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type CentreOperator } from '../../core/centre/sign-in';
import { type Principal } from '../../core/contracts/auth';

const context = new AsyncLocalStorage<CentreOperator>();

/** The envelope's opter for a principal: the operator's id, or `POS<id>` for an integrated POS. */
export function centreOperatorOf(principal: Principal): CentreOperator {
  return principal.kind === 'pos'
    ? { opter: `POS${principal.id}`.slice(0, 30), opterName: principal.name.slice(0, 50) || 'POS' }
    : { opter: principal.id.slice(0, 30), opterName: principal.name.slice(0, 50) || principal.id };
}

export function asOperator<T>(principal: Principal | undefined, run: () => T): T {
  return principal ? context.run(centreOperatorOf(principal), run) : run();
}

export function currentCentreOperator(): CentreOperator | null {
  return context.getStore() ?? null;
}
