/**
 * The real-data workspace the ML benchmarks and the evidence run share: Retrosheet 2000–2016 and the
 * Pinnacle 2016 lines from ../shared/data, imported once into a temp file and reused (delete it to rebuild).
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPinnacle } from '../src-main/engine/data/pinnacleImporter';
import { importRetrosheet } from '../src-main/engine/data/retrosheetImporter';
import { Workspace } from '../src-main/engine/workspace/workspace';
import { hasSharedData, sharedDataPath } from '../test/support/sharedData';

export const REAL_WORKSPACE = process.env.BULLPEN_BENCH_WORKSPACE ?? join(tmpdir(), 'bullpen-bench-real-2000-2016.duckdb');

export async function ensureRealWorkspace(): Promise<string> {
  if (!hasSharedData())
    throw new Error(`the real data is missing at ${sharedDataPath()}: these benchmarks need ../shared/data (or BULLPEN_SHARED_DATA)`);
  const ws = await Workspace.open(REAL_WORKSPACE);
  try {
    const games = Number(await ws.value(`SELECT count(*) FROM games WHERE NOT synthetic`));
    if (games === 0) {
      const dir = sharedDataPath('retrosheet');
      const files = readdirSync(dir)
        .filter((f) => /^GL20(0\d|1[0-6])\.TXT\.gz$/.test(f))
        .map((f) => join(dir, f));
      process.stderr.write(`importing ${files.length} Retrosheet seasons and the Pinnacle 2016 lines into ${REAL_WORKSPACE}\n`);
      await importRetrosheet(ws, files);
      await importPinnacle(ws, [sharedDataPath('pinnacle', 'mlb2016_games.csv')]);
    }
  } finally {
    ws.close();
  }
  if (!existsSync(REAL_WORKSPACE)) throw new Error(`could not create ${REAL_WORKSPACE}`);
  return REAL_WORKSPACE;
}
