// Where the store's data lives. Default: <userData>/data. A multi-terminal store can point a
// terminal elsewhere (a folder on a shared drive) with YBJS_DATA_DIR or a data-location.json
// next to the logs; both are validated here and named in the error when wrong.
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { describeIssues } from './ipc-schemas';

export const LOCATION_FILE = 'data-location.json';

const LocationFile = z.strictObject({
  dataDir: z.string().min(1).refine(isAbsolute, 'must be an absolute path (e.g. D:\\医保数据\\收银台1 or \\\\server\\share\\收银台1)'),
});

export interface DataLocation {
  readonly dataDir: string;
  readonly source: 'environment' | 'location-file' | 'default';
}

export function resolveDataLocation(input: {
  readonly userDataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The text of <userData>/data-location.json, or null when there is none. */
  readonly locationFileText: string | null;
}): DataLocation {
  const fromEnv = input.env.YBJS_DATA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isAbsolute(fromEnv)) throw new Error(`YBJS_DATA_DIR: must be an absolute path, got ${JSON.stringify(fromEnv)}`);
    return { dataDir: fromEnv, source: 'environment' };
  }
  if (input.locationFileText !== null) {
    const where = join(input.userDataDir, LOCATION_FILE);
    let json: unknown;
    try {
      json = JSON.parse(input.locationFileText.replace(/^\uFEFF/, '')); // Notepad writes a BOM
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = LocationFile.safeParse(json);
    if (!parsed.success) throw new Error(`${where}: ${describeIssues(parsed.error)}`);
    return { dataDir: parsed.data.dataDir, source: 'location-file' };
  }
  return { dataDir: join(input.userDataDir, 'data'), source: 'default' };
}
