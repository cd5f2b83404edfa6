import { describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, GENESIS_HASH, verifyChain } from '../../../src-main/engine/registry/auditChain';
import type { AuditEntry } from '../../../src-main/engine/registry/registryService';
import { registryRefSchema } from '../../../src-main/shared/registry';

/** A chain of n entries, each linked and hashed as the registry writes them. */
function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 1; i <= n; i++) {
    const unhashed = {
      seq: i,
      at: `2026-01-0${i}T00:00:00.000Z`,
      actor: 'alice',
      action: 'promote' as const,
      modelName: 'champ',
      version: 1,
      before: { stage: 'development' },
      after: { stage: 'staging', nested: { b: 2, a: 1 } },
      reason: `step ${i}`,
      prevHash: out.at(-1)?.hash ?? GENESIS_HASH,
    };
    out.push({ ...unhashed, hash: auditHash(unhashed) });
  }
  return out;
}
const headOf = (entries: AuditEntry[]) => ({ seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });

describe('audit chain', () => {
  it('writes the same canonical JSON whatever the key order, so a hash depends on content only', () => {
    expect(canonicalJson({ b: [1, { y: 2, x: 1 }], a: null })).toBe('{"a":null,"b":[1,{"x":1,"y":2}]}');
    const [e] = chain(1);
    const reordered = { ...e, after: { nested: { a: 1, b: 2 }, stage: 'staging' } };
    expect(auditHash(reordered)).toBe(e.hash);
  });

  it('accepts a whole chain and names the first broken entry: edited, deleted in the middle, deleted at the end, appended by hand', () => {
    const entries = chain(4);
    expect(verifyChain(entries, headOf(entries))).toEqual({ ok: true, entries: 4, firstBad: null });

    const edited = entries.map((e) => (e.seq === 2 ? { ...e, actor: 'mallory' } : e));
    expect(verifyChain(edited, headOf(entries)).firstBad).toMatchObject({ seq: 2 });

    const gap = entries.filter((e) => e.seq !== 3);
    expect(verifyChain(gap, headOf(entries)).firstBad).toEqual({ seq: 3, reason: 'entry 3 is missing: entry 4 follows entry 2' });

    const truncated = entries.slice(0, 3);
    expect(verifyChain(truncated, headOf(entries)).firstBad?.seq).toBe(4);

    // A forged entry renumbered and rehashed to fit the chain still disagrees with the recorded head.
    const forged = chain(5);
    expect(verifyChain(forged, headOf(entries)).firstBad?.seq).toBe(5);

    // Rehashing an edited entry breaks the link from the next one.
    const rehashed = entries.map((e) => (e.seq === 2 ? { ...e, reason: 'other', hash: auditHash({ ...e, reason: 'other' }) } : e));
    expect(verifyChain(rehashed, headOf(entries)).firstBad).toMatchObject({
      seq: 3,
      reason: expect.stringMatching(/does not link/) as string,
    });
  });

  it('parses NAME[:VERSION] as the CLI and HTTP send it', () => {
    expect(registryRefSchema.parse('champ')).toEqual({ name: 'champ', version: undefined });
    expect(registryRefSchema.parse('champ.v2-x:12')).toEqual({ name: 'champ.v2-x', version: 12 });
    for (const bad of ['champ:0', 'champ:', ':2', 'champ:1:2', 'ch amp', 'champ:-1'])
      expect(registryRefSchema.safeParse(bad).success, bad).toBe(false);
  });
});
