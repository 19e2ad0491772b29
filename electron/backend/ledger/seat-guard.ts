// Head office's seat sells nothing: every checkout route answers 409 HEADOFFICE_SEAT (before it
// touches a sale or the centre), naming the setting that made this app head office's seat.
import { LEDGER_SEAT_SETTING, type LedgerSeat } from '../../../core/ledger/port';
import { ApiError } from '../http/errors';
import { type RouteSpec } from '../http/routes';

export const HEADOFFICE_SEAT_MESSAGE = `本机是总部席位（只读连锁账本），不收银：请在门店收银台收银；若本机应为收银台，请技术员把 ${LEDGER_SEAT_SETTING} 改为 till`;

export function sellingOnly<T extends RouteSpec<never, never, never, unknown>>(routes: readonly T[], seat: () => LedgerSeat | null): T[] {
  return routes.map((r) => ({
    ...r,
    handler: (ctx: Parameters<T['handler']>[0]) => {
      if (seat() === 'headoffice') return Promise.reject(new ApiError(409, 'HEADOFFICE_SEAT', HEADOFFICE_SEAT_MESSAGE, 'ledgerSeat'));
      return r.handler(ctx);
    },
  }));
}
