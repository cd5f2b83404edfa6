import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Workspace } from '../../../src-main/engine/workspace/workspace';

export const fixture = (...parts: string[]) => resolve(__dirname, '..', '..', 'fixtures', ...parts);

/** A fresh workspace file in its own temp dir; `dispose` closes and deletes it. */
export async function tempWorkspace(): Promise<{ ws: Workspace; dir: string; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-data-'));
  const ws = await Workspace.open(join(dir, 'ws.duckdb'));
  return {
    ws,
    dir,
    dispose: () => {
      ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Row counts and content hashes of the data tables: equal fingerprints mean nothing changed. */
export async function fingerprint(ws: Workspace): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of ['games', 'odds', 'imports', 'teams', 'team_names', 'feature_definitions', 'feature_current', 'feature_sets']) {
    const r = await ws.one(`SELECT count(*) AS n, sum(hash(t::VARCHAR)) AS h FROM ${t} t`);
    out[t] = JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return out;
}
