import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');

interface Verification {
  ok: boolean;
  entries: number;
  firstBad: { seq: number; reason: string } | null;
}

/** `bullpen registry audit --verify --json` on the built CLI: its exit status, its verdict and the last line of stderr. */
function verifyWithCli(workspace: string): { code: number | null; verification: Verification; lastLine: string } {
  const r = spawnSync(process.execPath, [BIN, 'registry', 'audit', '--verify', '--json', '--workspace', workspace], { encoding: 'utf8' });
  const body = JSON.parse(r.stdout) as { verification: Verification };
  return { code: r.status, verification: body.verification, lastLine: r.stderr.trim().split('\n').pop() ?? '' };
}

describe('registry audit trail: a hash chain that shows an edited or deleted row (`registry audit --verify`, built CLI)', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;

  /** Opens the workspace (the CLI needs it closed in between), runs fn, closes it. */
  async function withEngine<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  }
  const sql = (text: string, params: (string | number)[] = []) => withEngine((e) => e.workspace.run(text, params));

  beforeAll(async () => {
    tmp = await tempWorkspace();
    await withEngine(async (engine) => {
      await buildDemo(engine.workspace, { seed: 5, firstSeason: 2010, lastSeason: 2011, marketInefficiency: true, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await call(engine, 'settings.set', { user: 'auditor' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'audited', ...FAST });
      await call(engine, 'registry.register', { model: 'audited', as: 'trail' }); // 1
      await call(engine, 'registry.approve', { name: 'trail:1', stage: 'staging', comment: 'looks right' }); // 2
      await call(engine, 'registry.reject', { name: 'trail:1', stage: 'production', comment: 'not yet' }); // 3
      await call(engine, 'registry.promote', { name: 'trail:1', to: 'archived', reason: 'retired' }); // 4
    });
  });
  afterAll(async () => tmp.cleanup());

  it('verifies a whole chain: exit 0, every entry linked to the one before', async () => {
    const r = verifyWithCli(tmp.path);
    expect(r.code, r.lastLine).toBe(0);
    expect(r.verification).toEqual({ ok: true, entries: 4, firstBad: null });
  });

  it('detects an edited row (its reason, then its after-state) and names it; exit 1 with the entry on the last line', async () => {
    const original = await withEngine((e) =>
      e.workspace.one<{ reason: string; after_json: string }>(`SELECT reason, after_json FROM registry_audit WHERE seq = 3`),
    );
    await sql(`UPDATE registry_audit SET reason = 'approved by the board' WHERE seq = 3`);
    let r = verifyWithCli(tmp.path);
    expect(r.code).toBe(1);
    expect(r.verification).toMatchObject({ ok: false, firstBad: { seq: 3 } });
    expect(r.verification.firstBad?.reason).toMatch(/entry 3 .*was changed after it was written/);
    expect(r.lastLine).toMatch(/^bullpen: the audit trail is broken at entry 3: /);

    await sql(`UPDATE registry_audit SET reason = ? WHERE seq = 3`, [original!.reason]);
    await sql(`UPDATE registry_audit SET after_json = ? WHERE seq = 3`, [original!.after_json.replace('rejected', 'approved')]);
    r = verifyWithCli(tmp.path);
    expect(r.code).toBe(1);
    expect(r.verification.firstBad?.seq).toBe(3);

    await sql(`UPDATE registry_audit SET after_json = ? WHERE seq = 3`, [original!.after_json]);
    expect(verifyWithCli(tmp.path).code).toBe(0);
  });

  it('detects a deleted row in the middle as a gap, and a later change does not hide it', async () => {
    const row = await withEngine((e) => e.workspace.one(`SELECT * FROM registry_audit WHERE seq = 2`));
    await sql(`DELETE FROM registry_audit WHERE seq = 2`);
    const r = verifyWithCli(tmp.path);
    expect(r.code).toBe(1);
    expect(r.verification).toMatchObject({ ok: false, entries: 3, firstBad: { seq: 2 } });
    expect(r.verification.firstBad?.reason).toMatch(/entry 2 is missing/);

    // A change made after the deletion links to the newest entry written, not to the last row left: the gap stays.
    await withEngine(async (engine) => {
      await call(engine, 'registry.approve', { name: 'trail:1', stage: 'production', comment: 'now it is' }); // 5
      expect((await call(engine, 'registry.audit', { verify: true })).verification?.firstBad?.seq).toBe(2);
    });
    await withEngine((e) =>
      e.workspace.run(
        `INSERT INTO registry_audit VALUES (${Object.keys(row!)
          .map(() => '?')
          .join(', ')})`,
        Object.values(row!) as string[],
      ),
    );
    expect(verifyWithCli(tmp.path).verification).toEqual({ ok: true, entries: 5, firstBad: null });
  });

  it('detects a deleted last row, which leaves no gap, by the head recorded with every entry', async () => {
    const row = await withEngine((e) => e.workspace.one(`SELECT * FROM registry_audit WHERE seq = 5`));
    await sql(`DELETE FROM registry_audit WHERE seq = 5`);
    const r = verifyWithCli(tmp.path);
    expect(r.code).toBe(1);
    expect(r.verification.firstBad).toMatchObject({ seq: 5 });
    expect(r.verification.firstBad?.reason).toMatch(/written up to entry 5 but ends at 4/);
    // Nothing can be appended over a trail that lost its head record: the change is refused, nothing is written.
    await sql(`DELETE FROM bullpen_meta WHERE key = 'registry.auditHead'`);
    await withEngine(async (engine) => {
      const r2 = await engine.registry.approve('trail', 1, 'staging', 'again', 'auditor').then(
        () => null,
        (err: unknown) => err,
      );
      expect(r2).toMatchObject({ code: 'REGISTRY_AUDIT_BROKEN' });
      expect(await engine.workspace.value(`SELECT count(*) FROM registry_approvals`)).toBe(3);
    });
    await withEngine(async (e) => {
      await e.workspace.run(
        `INSERT INTO registry_audit VALUES (${Object.keys(row!)
          .map(() => '?')
          .join(', ')})`,
        Object.values(row!) as string[],
      );
      await e.workspace.run(`INSERT INTO bullpen_meta VALUES ('registry.auditHead', ?)`, [JSON.stringify({ seq: 5, hash: row!.hash })]);
    });
    expect(verifyWithCli(tmp.path).code).toBe(0);
  });

  it('detects a registry table changed behind the trail: a stage set by SQL, a forged approval', async () => {
    await sql(`UPDATE registry_versions SET stage = 'production' WHERE model_name = 'trail' AND version = 1`);
    let r = verifyWithCli(tmp.path);
    expect(r.code).toBe(1);
    expect(r.verification.firstBad?.reason).toMatch(
      /version 1 of trail is production in the registry, but its last audit entry \(4\) moved it to archived/,
    );
    await sql(`UPDATE registry_versions SET stage = 'archived' WHERE model_name = 'trail' AND version = 1`);
    expect(verifyWithCli(tmp.path).code).toBe(0);

    await sql(`UPDATE registry_approvals SET decision = 'approved' WHERE audit_seq = 3`);
    r = verifyWithCli(tmp.path);
    expect(r.code).toBe(1);
    expect(r.verification.firstBad).toMatchObject({ seq: 3 });
    expect(r.verification.firstBad?.reason).toMatch(/does not match audit entry 3/);
    await sql(`UPDATE registry_approvals SET decision = 'rejected' WHERE audit_seq = 3`);
    expect(verifyWithCli(tmp.path).code).toBe(0);
  });
});
