// How this terminal talks to its centre: the interface edition and gateway security from the
// technician's settings, the transport built from them and the key folder, and — in training — the
// security the in-process sandbox demands (it plays the centre, so it holds the other half of the keys).
// A missing or malformed key file does not stop the backend: every call is then "not delivered" with
// the message that names the file, which the technician sees in the connection test.
import { currentEditionId, DEFAULT_EDITION_ID, editionById, editionIds } from '../../core/centre/editions';
import { type EditionProfile, type SecurityMode, supportedSecurityModes } from '../../core/centre/editions/schema';
import { type CentreTransport } from '../../core/centre/port';
import { type CentreSettings } from '../../core/contracts/technician';
import { type HttpTransportOptions } from '../../native/centre/http-transport';
import { loadSmKeys, readSecret } from '../../native/centre/security/keys';
import { readLocalEditions } from '../../native/centre/edition-files';
import { createCentreTransport } from '../../native/centre/transport';
import { type SandboxOAuth, type SandboxSecurity } from '../../native/sandbox/server';

export interface CentreConnection {
  readonly edition: EditionProfile;
  readonly security: SecurityMode;
  /** Why the transport cannot work (a key file), or null. */
  readonly problem: string | null;
  transport(url: string, http: Omit<HttpTransportOptions, 'url'>): CentreTransport;
}

/** The shipped editions and the valid ones in the data folder (shipped first). */
export function availableEditions(dataDir: string): Array<EditionProfile & { readonly origin: 'shipped' | 'local' }> {
  return [
    ...editionIds().map((id) => ({ ...editionById(id), origin: 'shipped' as const })),
    ...readLocalEditions(dataDir).editions.map((e) => ({ ...e, origin: 'local' as const })),
  ];
}

/** The settings' edition and security, checked against each other (a message naming the field). */
export function editionAndSecurity(settings: Pick<CentreSettings, 'edition' | 'security'> | null | undefined, dataDir: string): { edition: EditionProfile; security: SecurityMode } {
  const id = currentEditionId(settings?.edition ?? DEFAULT_EDITION_ID);
  // A shipped id wins over a local file of the same id (as in availableEditions' order); only the
  // one edition in use is parsed, and the local folder is read only for an id not shipped.
  const edition = editionIds().includes(id) ? { ...editionById(id), origin: 'shipped' as const } : availableEditions(dataDir).find((e) => e.id === id);
  if (!edition) throw new Error(`edition: 没有接口版本 ${id}（可选 ${availableEditions(dataDir).map((e) => e.id).join('、')}）`);
  const security = settings?.security ?? edition.security;
  if (!supportedSecurityModes(edition).includes(security)) throw new Error(`security: ${edition.name} 不支持 ${security}（可选 ${supportedSecurityModes(edition).join('、')}）`);
  return { edition, security };
}

export function centreConnection(settings: CentreSettings | null | undefined, dataDir: string): CentreConnection {
  const { edition, security } = editionAndSecurity(settings, dataDir);
  let problem: string | null = null;
  return {
    edition, security,
    get problem() { return problem; },
    transport(url, http) {
      try {
        return createCentreTransport({ ...http, url, security, dataDir, paasId: settings?.paasId ?? null, edition, oauth: settings?.oauth ?? null });
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
        const reason = problem;
        return { send: async () => ({ kind: 'not_delivered', reason }) };
      }
    },
  };
}

/** The sandbox's side of the terminal's keys (training only); plain when the keys are not there. */
export function sandboxSecurityFor(connection: Pick<CentreConnection, 'security'>, settings: CentreSettings | null | undefined, dataDir: string): SandboxSecurity {
  try {
    if (connection.security === 'tif-headers') return { mode: 'tif-headers', paasId: settings?.paasId ?? '', paasToken: readSecret(dataDir, 'tif-paas-token') };
    if (connection.security === 'sm4-sm2') { const keys = loadSmKeys(dataDir); return { mode: 'sm4-sm2', sm4Key: keys.sm4Key, clientPublicKey: keys.sm2PublicKey }; }
  } catch {
    // The terminal's own transport reports the missing key; the sandbox just stays plain.
  }
  return { mode: 'plain' };
}

/** The token endpoint's side of the terminal's OAuth credentials (training only), or none. */
export function sandboxOAuthFor(connection: Pick<CentreConnection, 'edition'>, settings: CentreSettings | null | undefined, dataDir: string): SandboxOAuth | undefined {
  if (!connection.edition.auth || !settings?.oauth) return undefined;
  try {
    return { clientId: settings.oauth.clientId, username: settings.oauth.username, clientSecret: readSecret(dataDir, 'oauth-client-secret'), password: readSecret(dataDir, 'oauth-password') };
  } catch {
    return undefined;
  }
}
