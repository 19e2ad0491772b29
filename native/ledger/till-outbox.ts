// The till's side of ledger replication: reads its outbox of facts (native/ledger/till-schema.ts)
// in sequence order, turns each into the fact the ledger stores, and moves the cursor forward once
// the ledger has confirmed them. The cursor moves only after the ledger committed, so a crash in
// between makes the next push repeat the batch — which the ledger recognises by till id + seq.
import { type JournalFact, type OutgoingFact, type Publication, type TraceCodeFact } from '../../core/ledger/port';
import { type Db } from '../db/open';
import { ReconStore } from '../reconcile/store';

interface MarkerRow { seq: number; kind: OutgoingFact['kind']; ref: number; at: string }

export class TillOutbox {
  private readonly recon: ReconStore;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.recon = new ReconStore(db);
  }

  instanceId(): string {
    return (this.db.prepare('SELECT instance_id FROM ledger_push_state WHERE id = 1').pluck().get() as string);
  }

  pushedUpTo(): number {
    return this.db.prepare('SELECT pushed_seq FROM ledger_push_state WHERE id = 1').pluck().get() as number;
  }

  /** Facts not yet confirmed by the ledger (账本待传). */
  pending(): number {
    return this.db.prepare('SELECT count(*) FROM ledger_outbox WHERE seq > (SELECT pushed_seq FROM ledger_push_state WHERE id = 1)').pluck().get() as number;
  }

  /** The next facts to push, oldest first, each read as it stands now. */
  batch(limit: number): OutgoingFact[] {
    const markers = this.db.prepare('SELECT seq, kind, ref, at FROM ledger_outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(this.pushedUpTo(), limit) as MarkerRow[];
    const ids = (kind: MarkerRow['kind']): number[] => markers.filter((m) => m.kind === kind).map((m) => m.ref);
    const settlements = new Map(this.recon.settlementsByIds(ids('settlement')).map((s) => [s.settlementId, s]));
    const adjustments = new Map(this.recon.adjustmentsByIds(ids('adjustment')).map((a) => [a.id, a]));
    const journal = new Map(this.journalLines(ids('journal')).map((j) => [j.seq, j]));
    const acks = new Map(this.acks(ids('ack')).map((a) => [a.publicationId, a]));
    const traces = new Map(this.traceEvents(ids('trace')).map((t) => [t.id, t]));
    return markers.map((m): OutgoingFact => {
      const missing = (): never => { throw new Error(`ledger outbox ${m.seq}: ${m.kind} ${m.ref} does not exist`); };
      switch (m.kind) {
        case 'settlement': return { seq: m.seq, kind: 'settlement', at: m.at, body: settlements.get(m.ref) ?? missing() };
        case 'journal': return { seq: m.seq, kind: 'journal', at: m.at, body: journal.get(m.ref) ?? missing() };
        case 'adjustment': return { seq: m.seq, kind: 'adjustment', at: m.at, body: adjustments.get(m.ref) ?? missing() };
        case 'ack': return { seq: m.seq, kind: 'ack', at: m.at, body: acks.get(m.ref) ?? missing() };
        case 'trace': return { seq: m.seq, kind: 'trace', at: m.at, body: traces.get(m.ref) ?? missing() };
      }
    });
  }

  /** The ledger has applied everything up to `seq`. */
  markPushed(seq: number): void {
    this.db.prepare('UPDATE ledger_push_state SET pushed_seq = max(pushed_seq, ?) WHERE id = 1').run(seq);
  }

  seenPublication(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM ledger_publication_seen WHERE publication_id = ?').get(id) !== undefined;
  }

  /**
   * Applies a publication and records its outcome in one transaction (the acknowledgement is queued
   * by trigger), so a publication is applied once even if the till dies right after.
   */
  applyPublication(publication: Publication, apply: () => string): { ok: boolean; message: string } {
    return this.db.transaction(() => {
      if (this.seenPublication(publication.id)) return { ok: true, message: 'already applied' };
      let outcome: { ok: boolean; message: string };
      try {
        outcome = { ok: true, message: apply() };
      } catch (error) {
        outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      this.db.prepare('INSERT INTO ledger_publication_seen (publication_id, kind, ok, message, applied_at) VALUES (?, ?, ?, ?, ?)')
        .run(publication.id, publication.kind, outcome.ok ? 1 : 0, outcome.message.slice(0, 500), this.now().toISOString());
      return outcome;
    }).immediate();
  }

  private journalLines(seqs: readonly number[]): JournalFact[] {
    if (seqs.length === 0) return [];
    const rows = this.db.prepare('SELECT seq, at, kind, payload, hash FROM journal WHERE seq IN (SELECT value FROM json_each(?))').all(JSON.stringify(seqs)) as Array<{ seq: number; at: string; kind: string; payload: string; hash: string }>;
    return rows.map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, payload: JSON.parse(r.payload) as unknown, hash: r.hash }));
  }

  private traceEvents(ids: readonly number[]): TraceCodeFact[] {
    if (ids.length === 0) return [];
    const rows = this.db.prepare('SELECT id, code, sale_id, sku, split, event, at FROM trace_code_event WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Array<{ id: number; code: string; sale_id: string; sku: string; split: number; event: TraceCodeFact['event']; at: string }>;
    return rows.map((r) => ({ id: r.id, code: r.code, saleId: r.sale_id, sku: r.sku, split: r.split === 1, event: r.event, at: r.at }));
  }

  private acks(ids: readonly number[]): Array<{ publicationId: number; ok: boolean; message: string }> {
    if (ids.length === 0) return [];
    const rows = this.db.prepare('SELECT publication_id, ok, message FROM ledger_publication_seen WHERE publication_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Array<{ publication_id: number; ok: number; message: string }>;
    return rows.map((r) => ({ publicationId: r.publication_id, ok: r.ok === 1, message: r.message }));
  }
}
