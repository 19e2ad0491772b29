// The downloaded national catalogues (1301/1306), the 1312/1319 queries and dictionaries (1901): their version, row count
// and last download for everyone on the bench; "download now" for the technician only.
import { CatalogueDownloadRequest, CatalogueDownloadResult, CataloguesView } from '../../../core/contracts/technician';
import { cataloguesView, downloadAll } from '../catalogue';
import { route } from '../http/routes';
import { type Runtime } from '../runtime';

export function catalogueRoutes(rt: Runtime) {
  return [
    route({
      method: 'GET', path: '/api/catalogues', tag: 'technician', summary: 'Downloaded catalogues (1301/1306): version, rows, last download and its result; the 1312/1319 queries (last updt_time, rows, last download, progress while one runs); dictionaries (1901)',
      roles: ['cashier', 'manager', 'technician'], response: CataloguesView,
      handler: async () => cataloguesView(rt.policy),
    }),
    route({
      method: 'POST', path: '/api/catalogues/download', tag: 'technician', summary: 'Download now: each catalogue from its stored version (resumable), then 1312/1319 from their last updt_time (paged, resumable), then the dictionaries',
      roles: ['technician'], body: CatalogueDownloadRequest, response: CatalogueDownloadResult,
      handler: async ({ body }) => downloadAll({ centre: rt.centre, policy: rt.policy, clock: () => new Date(), admdvs: rt.identity.mdtrtareaAdmvs }, body),
    }),
  ];
}
