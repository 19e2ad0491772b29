// Health, the OpenAPI document, the live event stream and the journal check.
import { z } from 'zod';
import { HealthResponse } from '../../../core/contracts/health';
import { PRODUCT_VERSION } from '../../../core/version';
import { type Journal } from '../../../native/store/journal';
import { type EventBus, streamEvents } from '../http/events';
import { route } from '../http/routes';

export const JournalCheck = z.union([
  z.object({ ok: z.literal(true), entries: z.number().int(), head: z.string() }),
  z.object({ ok: z.literal(false), entries: z.number().int(), brokenAt: z.number().int(), reason: z.string() }),
]);

export function systemRoutes(deps: { mode: 'browser' | 'electron'; journal: Journal; bus: EventBus; openApi: () => unknown }) {
  return [
    route({
      method: 'GET', path: '/api/health', tag: 'system', summary: 'Liveness and version', roles: 'public',
      response: HealthResponse, handler: async () => ({ status: 'ok' as const, version: PRODUCT_VERSION, mode: deps.mode }),
    }),
    route({
      method: 'GET', path: '/api/openapi.json', tag: 'system', summary: 'This API as OpenAPI 3.1', roles: 'public',
      response: z.unknown(), handler: async () => deps.openApi(),
    }),
    route({
      method: 'GET', path: '/api/events', tag: 'system', summary: 'Server-sent events: card, sync and online state (token may be passed as ?access_token=)',
      roles: ['cashier', 'manager', 'technician', 'headoffice'], raw: true,
      response: z.string(), handler: async ({ reply }) => { streamEvents(deps.bus, reply); return ''; },
    }),
    route({
      method: 'GET', path: '/api/journal/verify', tag: 'system', summary: 'Verify the settlement journal hash chain', roles: ['manager', 'technician'],
      response: JournalCheck, handler: async () => deps.journal.verify(),
    }),
  ];
}
