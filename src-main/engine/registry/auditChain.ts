import { createHash } from 'node:crypto';
import type { AuditEntry } from './registryService';

/** The `prevHash` of the first entry: there is no previous one. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level: the same fields always give the same text, whatever
 * order a row's JSON columns come back in, so a hash depends on the content only.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // undefined (a missing optional field) hashes as null: JSON has no undefined.
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** sha256 over every field of an entry but its own hash, `prevHash` included: that link makes the trail a chain. */
export function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, modelName, version, before, after, reason, prevHash } = entry;
  const fields = { seq, at, actor, action, modelName, version, before, after, reason, prevHash };
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/** The newest entry as recorded beside the trail, so a deleted last entry (which leaves no gap) is seen too. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  firstBad: { seq: number; reason: string } | null;
}

/**
 * Walks the trail in seq order and names the first entry that breaks it: a gap in the numbering (a
 * deleted entry), a `prevHash` that is not the previous entry's hash, or a hash that its own fields no
 * longer give (an edited entry). `head` is the newest entry recorded when it was written; a trail that
 * ends before it lost its last entries.
 */
export function verifyChain(entries: readonly AuditEntry[], head: AuditHead | null): ChainCheck {
  const bad = (seq: number, reason: string): ChainCheck => ({ ok: false, entries: entries.length, firstBad: { seq, reason } });
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq)
      return bad(
        expectedSeq,
        e.seq > expectedSeq
          ? `entry ${expectedSeq}${e.seq - expectedSeq > 1 ? `–${e.seq - 1}` : ''} is missing: entry ${e.seq} follows entry ${expectedSeq - 1}`
          : `entry ${e.seq} appears twice`,
      );
    if (e.prevHash !== prevHash)
      return bad(e.seq, `entry ${e.seq} does not link to entry ${e.seq - 1}: its prevHash is not the hash of the entry before it`);
    const recomputed = auditHash(e);
    if (recomputed !== e.hash)
      return bad(e.seq, `entry ${e.seq} (${e.action} ${e.modelName}) was changed after it was written: its hash no longer matches`);
    prevHash = e.hash;
    expectedSeq++;
  }
  const lastSeq = expectedSeq - 1;
  if (head && head.seq > lastSeq)
    return bad(
      lastSeq + 1,
      `entry ${lastSeq + 1}${head.seq > lastSeq + 1 ? `–${head.seq}` : ''} is missing: the trail was written up to entry ${head.seq} but ends at ${lastSeq}`,
    );
  if (head && head.seq < lastSeq)
    return bad(head.seq + 1, `entry ${head.seq + 1} was added outside Bullpen: the newest entry Bullpen wrote is entry ${head.seq}`);
  if (head && head.seq === lastSeq && head.hash !== prevHash)
    return bad(lastSeq, `entry ${lastSeq} is not the entry that was written last: its hash differs from the recorded head`);
  if (!head && entries.length > 0)
    return bad(entries[0].seq, 'the record of the newest entry is missing: the trail cannot be checked to its end');
  return { ok: true, entries: entries.length, firstBad: null };
}
