// A manager's CSV/xlsx file of inventory movements (one kind per file): the template's header, the
// CSV reader, and the row-by-row check. A file is taken whole or not at all: the first bad row is
// reported with its line number (the header is line 1) and the field named, and nothing is stored.
//
// Columns: `key` (the movement's own id, so importing the same file twice stores nothing twice),
// then the platform's field names of that kind (core/centre/tx/stock.ts). `drugtracinfo` (3502) is
// the boxes' 追溯码 separated by `;`. An empty cell is an absent field.
import { inventoryFields, type InventoryInfno } from '../centre/tx/stock';
import { checkMovement, InventoryKey, type ValidMovement } from './inventory-movement';

export const MAX_IMPORT_ROWS = 5000;

export function templateHeader(infno: InventoryInfno): string[] {
  return ['key', ...inventoryFields(infno)];
}

export function templateCsv(infno: InventoryInfno): string {
  return `\ufeff${templateHeader(infno).join(',')}\r\n`;
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF); a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.startsWith('\ufeff') ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (quoted) throw new ImportError(rows.length + 1, '(file)', 'a quoted cell is not closed');
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

export class ImportError extends Error {
  constructor(readonly line: number, readonly field: string, readonly reason: string) {
    super(`第 ${line} 行，字段 ${field}：${reason}（整个文件未导入）`);
    this.name = 'ImportError';
  }
}

/**
 * Every row of the table as a checked movement, or ImportError for the first bad row. `lines[i]`
 * is the file line of table row i (an xlsx's row numbers; for CSV the index + 1).
 */
export function movementsFromTable(infno: InventoryInfno, table: readonly string[][], lines?: readonly number[]): ValidMovement[] {
  const lineOf = (i: number): number => lines?.[i] ?? i + 1;
  if (table.length === 0) throw new ImportError(1, '(header)', 'the file is empty; download the template');
  const header = table[0]!.map((h) => h.trim());
  const known = new Set(templateHeader(infno));
  const unknown = header.find((h) => h !== '' && !known.has(h));
  if (unknown !== undefined) throw new ImportError(lineOf(0), unknown, `${infno} 没有这个字段；请使用 ${infno} 的模板`);
  if (!header.includes('key')) throw new ImportError(lineOf(0), 'key', 'the header has no key column');
  if (new Set(header.filter(Boolean)).size !== header.filter(Boolean).length) throw new ImportError(lineOf(0), '(header)', 'a column appears twice');
  if (table.length - 1 > MAX_IMPORT_ROWS) throw new ImportError(lineOf(MAX_IMPORT_ROWS + 1), '(file)', `at most ${MAX_IMPORT_ROWS} rows per file`);
  if (table.length === 1) throw new ImportError(lineOf(0), '(file)', 'the file has a header but no rows');
  const out: ValidMovement[] = [];
  const keys = new Set<string>();
  for (let i = 1; i < table.length; i++) {
    const cells = table[i]!;
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== '')) throw new ImportError(lineOf(i), '(row)', 'more cells than the header has columns');
    const row: Record<string, unknown> = {};
    let key = '';
    header.forEach((h, c) => {
      const value = (cells[c] ?? '').trim();
      if (h === '' || value === '') return;
      if (h === 'key') key = value;
      else if (h === 'drugtracinfo') row.drugtracinfo = value.split(/[;；|\s]+/).filter(Boolean).map((code) => ({ drug_trac_codg: code }));
      else row[h] = value;
    });
    const k = InventoryKey.safeParse(key);
    if (!k.success) throw new ImportError(lineOf(i), 'key', k.error.issues[0]!.message);
    if (keys.has(key)) throw new ImportError(lineOf(i), 'key', `key ${key} appears twice in the file`);
    keys.add(key);
    const checked = checkMovement(key, infno, row);
    if (!checked.ok) throw new ImportError(lineOf(i), checked.field, checked.message);
    out.push(checked.movement);
  }
  return out;
}
