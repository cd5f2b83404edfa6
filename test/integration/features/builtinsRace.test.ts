import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbFeatures } from '../../../src-main/engine/features/duckDbFeatures';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { tempWorkspace } from '../data/workspaceFixture';

describe('built-in feature definitions on a fresh workspace', () => {
  let ws: Workspace;
  let dispose: () => void;
  beforeAll(async () => {
    ({ ws, dispose } = await tempWorkspace());
  });
  afterAll(() => dispose());

  it('are registered once when several readers ask at the same time', async () => {
    const features = new DuckDbFeatures(ws);
    const answers = await Promise.allSettled([
      features.catalog(),
      features.catalog(),
      new DuckDbFeatures(ws).catalog(),
      features.catalog(),
    ]);
    expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
    const counts = await ws.all<{ n: number; d: number }>(
      `SELECT count(*) AS n, count(DISTINCT name) AS d FROM feature_definitions WHERE builtin`,
    );
    expect(counts[0].n).toBeGreaterThan(0);
    expect(counts[0].n).toBe(counts[0].d);
  });
});
