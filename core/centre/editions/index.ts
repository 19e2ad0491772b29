// The editions this app ships (one JSON file each, see schema.ts), each parsed and resolved once, when first used.
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

// Each file is parsed (zod) the first time it is asked for: a start needs only the till's edition
// and its base, not every shipped profile.
const parsed = new Map<string, EditionProfileFile>();
const resolved = new Map<string, EditionProfile>();

function shippedFile(id: string): EditionProfileFile | undefined {
  const cached = parsed.get(id);
  if (cached) return cached;
  if (!Object.hasOwn(FILES, id)) return undefined;
  const file = parseEditionFile(FILES[id], `${id}.json`);
  if (file.id !== id) throw new EditionError(`edition ${id}.json: id: must be ${JSON.stringify(id)} (the file name), not ${JSON.stringify(file.id)}`);
  parsed.set(id, file);
  return file;
}

export function editionIds(): string[] {
  return Object.keys(FILES);
}

export function editionById(wanted: string): EditionProfile {
  const id = currentEditionId(wanted);
  const cached = resolved.get(id);
  if (cached) return cached;
  const file = shippedFile(id);
  if (!file) throw new EditionError(`no edition named ${JSON.stringify(id)} (known: ${editionIds().join(', ')})`);
  const edition = resolveEdition(file, (base) => shippedFile(currentEditionId(base)));
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
  return resolveEdition(file, (base) => shippedFile(currentEditionId(base)));
}
