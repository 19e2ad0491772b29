// The editions this app ships (one JSON file each, see schema.ts), parsed and resolved once.
//   const edition = editionById('jilin');      // throws EditionError naming what is wrong
import jilin from './jilin.json';
import national from './national.json';
import shenzhen from './shenzhen.json';
import { EditionError, parseEditionFile, resolveEdition, type EditionProfile, type EditionProfileFile } from './schema';

export const DEFAULT_EDITION_ID = 'national';

const FILES: Record<string, unknown> = { national, jilin, shenzhen };

/**
 * Editions no longer shipped, and the one that replaced them (a till's stored setting or a local
 * profile's `base` may still name one). `national-strict` became `national` when national's 5203
 * lost our msgid lookup (issue 14): the two were then identical.
 */
export const RETIRED_EDITIONS: Readonly<Record<string, string>> = { 'national-strict': 'national' };

/** The shipped id an edition id stands for today (a retired id maps to its replacement). */
export function currentEditionId(id: string): string {
  return Object.hasOwn(RETIRED_EDITIONS, id) ? RETIRED_EDITIONS[id]! : id;
}

let parsed: Map<string, EditionProfileFile> | null = null;
const resolved = new Map<string, EditionProfile>();

function files(): Map<string, EditionProfileFile> {
  if (!parsed) {
    parsed = new Map();
    for (const [name, json] of Object.entries(FILES)) {
      const file = parseEditionFile(json, `${name}.json`);
      if (file.id !== name) throw new EditionError(`edition ${name}.json: id: must be ${JSON.stringify(name)} (the file name), not ${JSON.stringify(file.id)}`);
      parsed.set(file.id, file);
    }
  }
  return parsed;
}

export function editionIds(): string[] {
  return [...files().keys()];
}

export function editionById(wanted: string): EditionProfile {
  const id = currentEditionId(wanted);
  const cached = resolved.get(id);
  if (cached) return cached;
  const file = files().get(id);
  if (!file) throw new EditionError(`no edition named ${JSON.stringify(id)} (known: ${editionIds().join(', ')})`);
  const edition = resolveEdition(file, (base) => files().get(currentEditionId(base)));
  resolved.set(id, edition);
  return edition;
}

/** The shipped editions, id and display name, for the technician's choice. */
export function editionChoices(): Array<{ id: string; name: string; security: EditionProfile['security'] }> {
  return editionIds().map((id) => { const e = editionById(id); return { id, name: e.name, security: e.security }; });
}

/** A profile file from elsewhere (a technician's import), checked like the shipped ones. */
export function editionFromFile(json: unknown, origin: string): EditionProfile {
  const file = parseEditionFile(json, origin);
  return resolveEdition(file, (base) => files().get(currentEditionId(base)));
}
