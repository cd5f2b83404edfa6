import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { importGames } from '../../../src-main/engine/data/gamesImporter';
import { importGenericOdds } from '../../../src-main/engine/data/genericOddsImporter';
import { importPinnacle } from '../../../src-main/engine/data/pinnacleImporter';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_BYTES, MAX_BYTES_ENV } from '../../../src-main/engine/data/importLimits';
import { BullpenError } from '../../../src-main/shared/errors';
import { fingerprint, fixture, tempWorkspace } from '../data/workspaceFixture';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const GAME_LOG = fixture('retrosheet', 'GL2016mini.TXT');
const GAME_LOG_LINES = readFileSync(GAME_LOG, 'latin1')
  .split('\n')
  .filter((l) => l.trim() !== '');
/** The first game of GL2016mini.TXT: BOS at NYA on 4 April 2016, final 5–3 for the Yankees. */
const FIRST_GAME = 'NYA201604040';
const FIRST_RESULT = { status: 'final', homeScore: 5, awayScore: 3 };
const GAMES_HEADER = 'date,home,away,game_number,home_score,away_score';
/** What a file the importer must not quote could hold: the first line of a shadow password file. */
const SECRET = 'root:$6$Zx9SaltySalt$hunter2SecretHashValue:19000:0:99999:7:::';
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

let ws: Workspace;
let dir: string;
let dispose: () => void;
beforeEach(async () => {
  ({ ws, dir, dispose } = await tempWorkspace());
  await importRetrosheet(ws, [GAME_LOG]);
});
afterEach(() => dispose());

const write = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function failure(p: Promise<unknown>): Promise<BullpenError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BullpenError);
  expect((err as BullpenError).kind).toBe('input');
  return err as BullpenError;
}

/** The games table's content hash: equal before and after means not one result moved. */
const gamesChecksum = () => ws.value(`SELECT md5(string_agg(t::VARCHAR, ';' ORDER BY game_id)) FROM games t`);

/** A gzip stream of `times` copies of `chunk`, made without holding the decompressed data in memory. */
async function gzipRepeated(chunk: Buffer, times: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  for (let i = 0; i < times; i++) if (!gz.write(chunk)) await once(gz, 'drain');
  gz.end();
  await once(gz, 'end');
  return Buffer.concat(out);
}

/** The mini game log with one field of one line replaced (fields are 0-based here). */
function gameLogWith(lineIndex: number, field: number, value: string): string {
  return GAME_LOG_LINES.map((l, i) => {
    if (i !== lineIndex) return l;
    const f = l.split(',');
    f[field] = value;
    return f.join(',');
  }).join('\n');
}

describe('results are never undone silently', () => {
  it('refuses a games row without scores for a final game, naming file, line, game, before, after and the way out; nothing changes', async () => {
    const before = await fingerprint(ws);
    const checksum = await gamesChecksum();
    const file = write('slate.csv', `${GAMES_HEADER}\n2016-04-04,NYA,BOS,0,,\n`);
    const err = await failure(importGames(ws, [file]));
    expect(err.code).toBe('RESULT_CHANGED');
    expect(err.message).toContain('slate.csv line 2');
    expect(err.message).toContain(FIRST_GAME);
    expect(err.message).toContain('final, home 5 – away 3');
    expect(err.message).toContain('scheduled, no score');
    expect(err.message).toContain('--replace-results');
    expect(err.details).toMatchObject({
      gameId: FIRST_GAME,
      line: 2,
      before: FIRST_RESULT,
      after: { status: 'scheduled', homeScore: null, awayScore: null },
      count: 1,
    });
    expect(await gamesChecksum()).toBe(checksum);
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('with replaceResults applies the row, reports the replaced result and logs it with the import', async () => {
    const file = write('slate.csv', `${GAMES_HEADER}\n2016-04-04,NYA,BOS,0,,\n`);
    const r = await importGames(ws, [file], { replaceResults: true });
    const change = {
      gameId: FIRST_GAME,
      file: 'slate.csv',
      line: 2,
      before: FIRST_RESULT,
      after: { status: 'scheduled', homeScore: null, awayScore: null },
    };
    expect(r.changedResults).toEqual([change]);
    expect(await ws.one(`SELECT status, home_score, away_score FROM games WHERE game_id = ?`, [FIRST_GAME])).toEqual({
      status: 'scheduled',
      home_score: null,
      away_score: null,
    });
    const logged = await ws.value<string>(`SELECT details::VARCHAR FROM imports WHERE id = ?`, [r.importId]);
    expect(JSON.parse(logged as string)).toEqual({ changedResults: [change] });
  });

  it('refuses a games row that changes a final score', async () => {
    const checksum = await gamesChecksum();
    const err = await failure(importGames(ws, [write('fix.csv', `${GAMES_HEADER}\n2016-04-04,NYA,BOS,0,6,3\n`)]));
    expect(err.code).toBe('RESULT_CHANGED');
    expect(err.message).toContain('"final, home 6 – away 3"');
    expect(await gamesChecksum()).toBe(checksum);
  });

  it('refuses a Retrosheet re-import that changes a final score unless replaceResults, then reports it', async () => {
    const checksum = await gamesChecksum();
    // Field 11 is the home score: 5 becomes 9 on line 1.
    const changed = write('GL2016fixed.TXT', gameLogWith(0, 10, '9'));
    const err = await failure(importRetrosheet(ws, [changed]));
    expect(err.code).toBe('RESULT_CHANGED');
    expect(err.message).toContain('GL2016fixed.TXT line 1');
    expect(err.message).toContain(FIRST_GAME);
    expect(await gamesChecksum()).toBe(checksum);
    const r = await importRetrosheet(ws, [changed], { replaceResults: true });
    expect(r.changedResults).toEqual([
      { gameId: FIRST_GAME, file: 'GL2016fixed.TXT', line: 1, before: FIRST_RESULT, after: { ...FIRST_RESULT, homeScore: 9 } },
    ]);
    expect(await ws.value(`SELECT home_score FROM games WHERE game_id = ?`, [FIRST_GAME])).toBe(9);
  });

  it('still fills results into scheduled games and re-imports identical results without asking', async () => {
    await importGames(ws, [fixture('games', 'slate_2016-04-09.csv')]);
    const filled = await importGames(ws, [fixture('games', 'results_2016-04-09.csv')]);
    expect(filled).toMatchObject({ updated: 2, changedResults: [] });
    expect((await importRetrosheet(ws, [GAME_LOG])).changedResults).toEqual([]);
  });
});

describe('games from the future', () => {
  it('refuses a games row dated after today with final scores, naming file and line', async () => {
    const before = await fingerprint(ws);
    const err = await failure(importGames(ws, [write('future.csv', `${GAMES_HEADER}\n${NEXT_YEAR}-06-01,NYA,BOS,0,4,2\n`)]));
    expect(err.code).toBe('FUTURE_RESULT');
    expect(err.message).toContain('future.csv line 2');
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('refuses a Retrosheet game dated after today', async () => {
    const err = await failure(importRetrosheet(ws, [write('GLfuture.TXT', gameLogWith(3, 0, `${NEXT_YEAR}0601`))]));
    expect(err.code).toBe('FUTURE_RESULT');
    expect(err.message).toContain('GLfuture.TXT line 4');
  });

  it('accepts a future game without scores (a schedule)', async () => {
    const r = await importGames(ws, [write('schedule.csv', `${GAMES_HEADER}\n${NEXT_YEAR}-06-01,NYA,BOS,0,,\n`)]);
    expect(r.inserted).toBe(1);
  });
});

describe('decompression limits', () => {
  it('stops a .gz holding one 100 MB line at the line limit', async () => {
    const bomb = write('GL2016.TXT.gz', await gzipRepeated(Buffer.alloc(1 << 20, 'a'), 100));
    expect(bomb.length).toBeGreaterThan(0);
    const err = await failure(importRetrosheet(ws, [bomb]));
    expect(err.code).toBe('LINE_TOO_LONG');
    expect(err.details).toMatchObject({ file: 'GL2016.TXT.gz', line: 1, limit: DEFAULT_MAX_LINE_BYTES });
    expect(err.message).not.toContain('aaaaaaaa');
  });

  it('stops a zip member holding one huge line the same way', async () => {
    const zip = write('GL2016.zip', zipSync({ 'GL2016.TXT': new Uint8Array(8 << 20).fill(0x61) }, { level: 9 }));
    const err = await failure(importRetrosheet(ws, [zip]));
    expect(err.code).toBe('LINE_TOO_LONG');
    expect(err.details).toMatchObject({ file: 'GL2016.zip:GL2016.TXT', line: 1 });
  });

  describe(`with ${MAX_BYTES_ENV}=1MiB`, () => {
    let saved: string | undefined;
    beforeAll(() => {
      saved = process.env[MAX_BYTES_ENV];
      process.env[MAX_BYTES_ENV] = '1MiB';
    });
    afterAll(() => {
      if (saved === undefined) delete process.env[MAX_BYTES_ENV];
      else process.env[MAX_BYTES_ENV] = saved;
    });

    it('refuses a .gz of short lines that decompresses past the size limit, naming the variable that raises it', async () => {
      const lines = Buffer.from(`${GAME_LOG_LINES[0]}\n`.repeat(1000));
      const bomb = write('GLbig.TXT.gz', await gzipRepeated(lines, 20));
      const err = await failure(importRetrosheet(ws, [bomb]));
      expect(err.code).toBe('FILE_TOO_LARGE');
      expect(err.message).toContain(MAX_BYTES_ENV);
      expect(err.details).toMatchObject({ file: 'GLbig.TXT.gz', limit: 1 << 20 });
    });

    it('still reads a file under the limit', async () => {
      expect((await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT.gz')])).rowsRead).toBe(9);
    });
  });

  it('defaults to 256 MiB per file and 64 KiB per line', () => {
    expect(DEFAULT_MAX_BYTES).toBe(256 * 1024 * 1024);
    expect(DEFAULT_MAX_LINE_BYTES).toBe(64 * 1024);
  });

  it('refuses a 1M-column header by its length, without repeating it', async () => {
    const header = ['date', 'home', 'away', ...Array.from({ length: 1_000_000 }, (_, i) => `c${i}`)].join(',');
    const err = await failure(importGames(ws, [write('wide.csv', `${header}\n2016-04-09,NYA,TOR\n`)]));
    expect(err.code).toBe('LINE_TOO_LONG');
    expect(err.message.length).toBeLessThan(600);
    expect(JSON.stringify(err.details).length).toBeLessThan(300);
  });
});

describe('archives inside archives', () => {
  const log = readFileSync(GAME_LOG);

  it('refuses a zip inside a zip by name', async () => {
    const outer = write('outer.zip', zipSync({ 'GL2016.zip': zipSync({ 'GL2016.TXT': log }) }));
    const err = await failure(importRetrosheet(ws, [outer]));
    expect(err.code).toBe('NESTED_ARCHIVE');
    expect(err.message).toContain('outer.zip:GL2016.zip');
  });

  it('refuses a .gz inside a zip by name', async () => {
    const err = await failure(importRetrosheet(ws, [write('season.zip', zipSync({ 'GL2016.TXT.gz': gzipSync(log) }))]));
    expect(err.code).toBe('NESTED_ARCHIVE');
    expect(err.message).toContain('season.zip:GL2016.TXT.gz');
  });

  it('refuses a zip hidden under a text name inside a zip, and a .gz of a zip, by content', async () => {
    const hidden = await failure(importRetrosheet(ws, [write('hidden.zip', zipSync({ 'GL2016.TXT': zipSync({ 'GL2016.TXT': log }) }))]));
    expect(hidden.code).toBe('NESTED_ARCHIVE');
    expect(hidden.message).toContain('zip archive inside a zip archive');
    const gzOfZip = await failure(importRetrosheet(ws, [write('GL2016.zip.gz', gzipSync(zipSync({ 'GL2016.TXT': log })))]));
    expect(gzOfZip.code).toBe('NESTED_ARCHIVE');
    expect(gzOfZip.message).toContain('zip archive inside a gzip archive');
  });
});

describe('encodings and binary files are named, not parsed', () => {
  const csv = `${GAMES_HEADER}\n2016-04-09,NYA,TOR,0,,\n`;
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  const utf32le = (s: string) => Buffer.concat([...s].map((c) => Buffer.from([c.charCodeAt(0), 0, 0, 0])));
  const cases: [string, Buffer, string][] = [
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]), 'UTF-16LE'],
    ['UTF-16LE without BOM', Buffer.from(csv, 'utf16le'), 'UTF-16LE'],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(csv)]), 'UTF-16BE'],
    ['UTF-16BE without BOM', utf16be(csv), 'UTF-16BE'],
    ['UTF-32LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(csv)]), 'UTF-32LE'],
  ];
  for (const [label, bytes, encoding] of cases) {
    it(`names a ${label} file's encoding and the way out`, async () => {
      const err = await failure(importGames(ws, [write('slate16.csv', bytes)]));
      expect(err.code).toBe('FILE_ENCODING');
      expect(err.message).toContain(`slate16.csv is ${encoding} text`);
      expect(err.message).toContain('save it as UTF-8');
    });
  }

  it('names the encoding of a UTF-16 file inside a .gz too', async () => {
    const err = await failure(
      importRetrosheet(ws, [write('GL16.TXT.gz', gzipSync(Buffer.from(readFileSync(GAME_LOG, 'latin1'), 'utf16le')))]),
    );
    expect(err.code).toBe('FILE_ENCODING');
    expect(err.message).toContain('UTF-16LE');
  });

  it('says what a binary file seems to be', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]);
    const err = await failure(importRetrosheet(ws, [write('GL2016.TXT', elf)]));
    expect(err.code).toBe('NOT_TEXT');
    expect(err.message).toContain('an executable (ELF)');
  });
});

describe('empty files are input errors', () => {
  const header = (cols: string) => `${cols}\n`;
  const cases: [string, () => Promise<unknown>][] = [
    ['an empty Retrosheet file', () => importRetrosheet(ws, [write('GL2016.TXT', '')])],
    ['a Retrosheet file of blank lines', () => importRetrosheet(ws, [write('GL2016.TXT', '\n\r\n  \n')])],
    ['an empty .gz', () => importRetrosheet(ws, [write('GL2016.TXT.gz', gzipSync(Buffer.alloc(0)))])],
    ['a zip of an empty file', () => importRetrosheet(ws, [write('GL2016.zip', zipSync({ 'GL2016.TXT': new Uint8Array(0) }))])],
    ['a games CSV with only a header', () => importGames(ws, [write('games.csv', header(GAMES_HEADER))])],
    [
      'a generic odds CSV with only a header',
      () => importGenericOdds(ws, [write('odds.csv', header('date,home,away,book,ml_home,ml_away'))]),
    ],
    [
      'a Pinnacle per-game file with only a header',
      () =>
        importPinnacle(ws, [
          write(
            'mlb2016_games.csv',
            header(
              'game_id,start_utc,away_team,home_team,doubleheader_game,open_entered_utc,open_ml_away,open_ml_home,close_entered_utc,close_ml_away,close_ml_home,close_total,close_total_over,close_total_under,close_spread_away,close_spread_us_away,close_spread_us_home',
            ),
          ),
        ]),
    ],
  ];
  for (const [label, run] of cases) {
    it(`refuses ${label} with FILE_EMPTY and changes nothing`, async () => {
      const before = await fingerprint(ws);
      const err = await failure(run());
      expect(err.code).toBe('FILE_EMPTY');
      expect(await fingerprint(ws)).toEqual(before);
    });
  }
});

describe('a file of another format is described, never quoted', () => {
  const secretFile = () => write('shadow', `${SECRET}\ndaemon:*:19000:0:99999:7:::\n`);

  it('a Retrosheet import of a password file says what it is not, without its content', async () => {
    const err = await failure(importRetrosheet(ws, [secretFile()]));
    expect(err.code).toBe('WRONG_FORMAT');
    expect(err.message).toContain('not a Retrosheet game log (expected 161 comma-separated fields; line 1 has 1)');
    expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain('hunter2');
  });

  const others: [string, () => Promise<unknown>][] = [
    ['games', () => importGames(ws, [secretFile()])],
    ['generic odds', () => importGenericOdds(ws, [secretFile()])],
    ['Pinnacle', () => importPinnacle(ws, [secretFile()])],
  ];
  for (const [label, run] of others) {
    it(`the ${label} importer refuses it the same way`, async () => {
      const err = await failure(run());
      expect(err.code).toBe('WRONG_FORMAT');
      expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain('hunter2');
      expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain('root:');
    });
  }

  it('a secret with commas and quotes is not quoted either', async () => {
    const err = await failure(importRetrosheet(ws, [write('env', 'API_KEY="hunter2-token",DB=postgres://admin:hunter2@db\n')]));
    expect(err.code).toBe('WRONG_FORMAT');
    expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain('hunter2');
  });

  it('quotes a recognised file only as a short preview with control characters escaped', async () => {
    const long = `NY\u001b[31mA${'x'.repeat(500)}`;
    const err = await failure(importGames(ws, [write('games.csv', `${GAMES_HEADER}\n2016-04-09,${long},TOR,0,,\n`)]));
    expect(err.code).toBe('UNKNOWN_TEAM');
    expect(err.message).toContain('NY\\x1b[31mA');
    expect(err.message).not.toContain('\u001b');
    expect(err.message).not.toContain('x'.repeat(100));
    expect(String(err.details?.value).length).toBeLessThanOrEqual(81);
  });
});

describe('through the built CLI (exit 3 for each refusal)', () => {
  let cliDir: string;
  let workspace: string;
  const bullpen = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--json', '--workspace', workspace], { encoding: 'utf8' });
    return {
      code: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      json: JSON.parse(r.stdout || 'null') as { error?: { code: string; message: string } } & Record<string, unknown>,
    };
  };
  const cliFile = (name: string, content: string | Uint8Array) => {
    const p = join(cliDir, name);
    writeFileSync(p, content);
    return p;
  };
  beforeAll(() => {
    cliDir = mkdtempSync(join(tmpdir(), 'bullpen-import-cli-'));
    workspace = join(cliDir, 'ws.duckdb');
  });
  afterAll(() => rmSync(cliDir, { recursive: true, force: true }));

  it('refuses a scoreless row for a final game with exit 3, and --replace-results applies and reports it', () => {
    expect(bullpen('data', 'import', 'retrosheet', GAME_LOG).code).toBe(0);
    const slate = cliFile('slate.csv', `${GAMES_HEADER}\n2016-04-04,NYA,BOS,0,,\n`);
    const refused = bullpen('data', 'import', 'games', slate);
    expect(refused.code).toBe(3);
    expect(refused.json.error?.code).toBe('RESULT_CHANGED');
    const replaced = bullpen('data', 'import', 'games', slate, '--replace-results');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.json.changedResults).toEqual([
      {
        gameId: FIRST_GAME,
        file: 'slate.csv',
        line: 2,
        before: FIRST_RESULT,
        after: { status: 'scheduled', homeScore: null, awayScore: null },
      },
    ]);
  });

  it('exits 3 for a bomb, a nested archive, an empty file, a future result and a password file, never printing its content', async () => {
    const cases: [string, string][] = [
      [cliFile('GL2016.TXT.gz', await gzipRepeated(Buffer.alloc(1 << 20, 'a'), 20)), 'LINE_TOO_LONG'],
      [cliFile('outer.zip', zipSync({ 'GL2016.zip': zipSync({ 'GL2016.TXT': readFileSync(GAME_LOG) }) })), 'NESTED_ARCHIVE'],
      [cliFile('GL2015.TXT', ''), 'FILE_EMPTY'],
      [cliFile('GLfuture.TXT', gameLogWith(0, 0, `${NEXT_YEAR}0601`)), 'FUTURE_RESULT'],
      [cliFile('shadow', `${SECRET}\n`), 'WRONG_FORMAT'],
    ];
    for (const [file, code] of cases) {
      const r = bullpen('data', 'import', 'retrosheet', file);
      expect(r.code, `${file}: ${r.stderr}`).toBe(3);
      expect(r.json.error?.code).toBe(code);
      expect(r.stdout + r.stderr).not.toContain('hunter2');
    }
  });
});
