import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpName } from '../../../src-main/api/contract';
import type { Engine } from '../../../src-main/engine/engine';
import { BullpenError } from '../../../src-main/shared/errors';
import { call, openMlEngine } from '../ml/mlWorkspace';

async function refusal(engine: Engine, op: OpName, input: unknown): Promise<BullpenError> {
  const err = await call(engine, op, input).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof BullpenError)) throw new Error(`${op} did not refuse ${JSON.stringify(input)}`);
  return err;
}

describe('features ops answer an unknown set at once and export in the format the file name says', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    dir = await mkdtemp(join(tmpdir(), 'bullpen-featops-'));
  });
  afterAll(async () => {
    await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to materialize an unknown set before starting a job', async () => {
    const before = Number(await engine.workspace.value(`SELECT count(*) FROM jobs`));
    const err = await refusal(engine, 'features.materialize', { set: 'nope' });
    expect(err.code).toBe('FEATURE_SET_NOT_FOUND');
    expect(Number(await engine.workspace.value(`SELECT count(*) FROM jobs`))).toBe(before);
  });

  it('refuses the quality of an unknown set instead of answering with an empty report', async () => {
    expect((await refusal(engine, 'features.quality', { set: 'nope' })).code).toBe('FEATURE_SET_NOT_FOUND');
  });

  it('writes CSV to --out x.csv when no --format is given', async () => {
    const out = join(dir, 'default.csv');
    const r = await call(engine, 'features.export', { set: 'default', out });
    expect(r.format).toBe('csv');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^game_id,date,season,/);
  });
});
