import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { decideFirstStart, FIRST_START_META_KEY } from '../../../src-main/engine/demo/firstStart';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { fixture, tempWorkspace } from './workspaceFixture';

let ws: Workspace;
let dispose: () => void;
beforeEach(async () => ({ ws, dispose } = await tempWorkspace()));
afterEach(() => dispose());

describe('first-start decision', () => {
  it('builds the demo for an empty workspace, with the seasons the environment asks for', async () => {
    expect(await decideFirstStart(ws, undefined, false)).toEqual({ build: true, seasons: '2000-2019' });
    expect(await decideFirstStart(ws, '2018-2019', false)).toEqual({ build: true, seasons: '2018-2019' });
  });

  it('does not build when disabled, while a build runs, with games present, or after a first attempt', async () => {
    expect(await decideFirstStart(ws, '0', false)).toEqual({ build: false, reason: 'disabled' });
    expect(await decideFirstStart(ws, undefined, true)).toEqual({ build: false, reason: 'running' });
    await ws.setMeta(FIRST_START_META_KEY, '2026-01-01T00:00:00Z');
    expect(await decideFirstStart(ws, undefined, false)).toEqual({ build: false, reason: 'alreadyStarted' });
    await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
    expect(await decideFirstStart(ws, undefined, false)).toEqual({ build: false, reason: 'hasGames' });
  });
});
