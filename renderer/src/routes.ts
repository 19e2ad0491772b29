// The pages of each workspace and who may open them. A tiny hash router: the app is a single
// window (Electron, or a browser tab) and #/… survives a reload without any server routing.
import { useEffect, useState } from 'react';
import { type Role } from '../../core/contracts/common';
import { zh } from './strings';

export type PageId =
  | 'checkout' | 'today'
  | 'sales' | 'dayClose' | 'discrepancies' | 'charts' | 'operators' | 'posTokens' | 'traceReports' | 'storeSettings'
  | 'reader' | 'mappings' | 'policies' | 'centre'
  | 'headOffice';

export interface PageSpec {
  readonly id: PageId;
  readonly path: string;
  readonly label: string;
  /** The roles whose workspace holds this page; the backend enforces the same on its API. */
  readonly roles: readonly Role[];
}

export const PAGES: readonly PageSpec[] = [
  { id: 'checkout', path: '/cashier/checkout', label: zh.nav.checkout, roles: ['cashier'] },
  { id: 'today', path: '/cashier/today', label: zh.nav.today, roles: ['cashier'] },
  { id: 'sales', path: '/manager/sales', label: zh.nav.sales, roles: ['manager'] },
  { id: 'dayClose', path: '/manager/day-close', label: zh.nav.dayClose, roles: ['manager'] },
  { id: 'discrepancies', path: '/manager/discrepancies', label: zh.nav.discrepancies, roles: ['manager'] },
  { id: 'charts', path: '/manager/charts', label: zh.nav.charts, roles: ['manager'] },
  { id: 'traceReports', path: '/manager/trace-reports', label: zh.nav.traceReports, roles: ['manager'] },
  { id: 'operators', path: '/manager/operators', label: zh.nav.operators, roles: ['manager'] },
  { id: 'posTokens', path: '/manager/pos-tokens', label: zh.nav.posTokens, roles: ['manager'] },
  { id: 'storeSettings', path: '/manager/store-settings', label: zh.nav.storeSettings, roles: ['manager'] },
  { id: 'reader', path: '/technician/reader', label: zh.nav.reader, roles: ['technician'] },
  { id: 'mappings', path: '/technician/mappings', label: zh.nav.mappings, roles: ['technician'] },
  { id: 'policies', path: '/technician/policies', label: zh.nav.policies, roles: ['technician'] },
  { id: 'centre', path: '/technician/centre', label: zh.nav.centre, roles: ['technician'] },
  { id: 'headOffice', path: '/head-office/days', label: zh.nav.headOffice, roles: ['headoffice'] },
];

/** Pages not yet wired to an API the backend offers are left out of the menu (see docs/ui.md). */
export const HIDDEN_PAGES: ReadonlySet<PageId> = new Set<PageId>([]);

export function pagesFor(role: Role): PageSpec[] {
  return PAGES.filter((p) => p.roles.includes(role) && !HIDDEN_PAGES.has(p.id));
}

export function homeFor(role: Role): string {
  return pagesFor(role)[0]!.path;
}

export function pageAt(path: string): PageSpec | undefined {
  return PAGES.find((p) => p.path === path && !HIDDEN_PAGES.has(p.id));
}

function currentPath(): string {
  return window.location.hash.replace(/^#/, '') || '/';
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = (): void => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}
