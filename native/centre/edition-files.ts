// Interface editions a technician adds without a code change: validated profile files in
// <data folder>/editions/<id>.json, checked exactly like the shipped ones (strict schema, a typo named
// by its key path). An import is refused whole, and written whole (temp file + rename).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentEditionId, editionFromFile, editionIds } from '../../core/centre/editions';
import { EditionError, type EditionProfile } from '../../core/centre/editions/schema';

export const EDITION_FOLDER = 'editions';

export interface LocalEditions {
  readonly editions: EditionProfile[];
  /** Files that are not valid profiles, with the reason (they are not offered). */
  readonly problems: Array<{ readonly file: string; readonly message: string }>;
}

export function readLocalEditions(dataDir: string): LocalEditions {
  const folder = join(dataDir, EDITION_FOLDER);
  if (!existsSync(folder)) return { editions: [], problems: [] };
  const editions: EditionProfile[] = [];
  const problems: LocalEditions['problems'] = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const edition = editionFromFile(JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown, file);
      if (`${edition.id}.json` !== file) throw new EditionError(`edition ${file}: id: must be ${JSON.stringify(file.replace(/\.json$/, ''))} (the file name)`);
      editions.push(edition);
    } catch (error) {
      problems.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { editions, problems };
}

/** Validates and stores a profile; throws EditionError naming what is wrong. */
export function importEdition(dataDir: string, json: unknown): EditionProfile {
  const edition = editionFromFile(json, 'import');
  if (editionIds().includes(currentEditionId(edition.id))) throw new EditionError(`edition import: id: ${edition.id} is a shipped edition; give the province's edition an id of its own`);
  const folder = join(dataDir, EDITION_FOLDER);
  mkdirSync(folder, { recursive: true });
  const target = join(folder, `${edition.id}.json`);
  const temp = `${target}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(json, null, 1)}\n`);
  renameSync(temp, target);
  return edition;
}
