import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { importGenericOdds } from '../../../src-main/engine/data/genericOddsImporter';
import { checkSetLeakage } from '../../../src-main/engine/features/featureStore';
import { fixture, tempWorkspace } from '../data/workspaceFixture';

let ws: Workspace;
let dispose: () => void;
beforeAll(async () => {
  ({ ws, dispose } = await tempWorkspace());
  await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
});
afterAll(() => dispose());

const cachedKeys = async () =>
  (await ws.all<{ key: string }>(`SELECT key FROM bullpen_meta WHERE key LIKE 'leakage:%' ORDER BY key`)).map((r) => r.key);

describe('the leakage verdict is kept per set content and data', () => {
  it('answers a second check of the same set on the same data from the stored verdict', async () => {
    const first = await checkSetLeakage(ws, 'default');
    const keys = await cachedKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toContain(first.contentHash);
    expect(await checkSetLeakage(ws, 'default')).toEqual(first);
    expect(await cachedKeys()).toEqual(keys);
  });

  it('checks again once the data changed, and never caches a check on explicit cutoffs', async () => {
    const before = await cachedKeys();
    await importGenericOdds(ws, [fixture('odds', 'mini_generic_american.csv')]);
    await checkSetLeakage(ws, 'default');
    const after = await cachedKeys();
    expect(after).toHaveLength(2);
    expect(after).toEqual(expect.arrayContaining(before));
    await checkSetLeakage(ws, 'default', ['2016-04-05']);
    expect(await cachedKeys()).toEqual(after);
  });
});
