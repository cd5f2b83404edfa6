import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { demoBuildResultSchema, demoDescriptionSchema } from '../../../shared/results';

/** Mirrors engine/data/uploadStore.ts (the contract cannot import the engine): 512 KiB raw per chunk as base64. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
const UPLOAD_CHUNK_BASE64_MAX = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4;
const uploadId = z.string().regex(/^upl_[a-f0-9]{24}$/, 'an upload id returned by data.upload');

const seasonRange = z.string().regex(/^\d{4}(-\d{4})?$/, 'a season or a range like 2000-2019');

const gameResultSchema = z.object({ status: z.string(), homeScore: z.number().int().nullable(), awayScore: z.number().int().nullable() });

/** A final result an import replaced (replaceResults): the game, the row that replaced it, before and after. */
export const resultChangeSchema = z.object({
  gameId: z.string(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  before: gameResultSchema,
  after: gameResultSchema,
});

export const importResultSchema = z.object({
  importId: z.string(),
  files: z.array(z.string()),
  rowsRead: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  seasons: z.array(z.number().int()),
  /** Final results this import replaced; empty unless replaceResults was set (else such an import is refused). */
  changedResults: z.array(resultChangeSchema),
});

/** Without it, an import that would undo a final result (scores dropped or changed) is refused as a whole. */
const replaceResults = z
  .boolean()
  .default(false)
  .describe('let rows replace final results (scores dropped or changed); each replacement is reported and logged');

export const unmatchedSchema = z.object({
  count: z.number().int(),
  byReason: z.record(z.string(), z.number().int()),
  examples: z.array(
    z.object({
      file: z.string(),
      line: z.number().int(),
      reason: z.string(),
      date: z.string().optional(),
      home: z.string().optional(),
      away: z.string().optional(),
    }),
  ),
});

export const oddsImportResultSchema = z.object({
  importId: z.string(),
  files: z.array(z.string()),
  book: z.string(),
  rowsRead: z.number().int(),
  matchedGames: z.number().int(),
  oddsRows: z.number().int(),
  replaced: z.number().int(),
  unmatched: unmatchedSchema,
  scoreMismatches: z.number().int(),
});

export const importSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  files: z.array(z.string()),
  finishedAt: z.string(),
  rowsRead: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unmatched: z.number().int(),
});

export const dataStatusSchema = z.object({
  games: z.number().int(),
  oddsRows: z.number().int(),
  teams: z.number().int(),
  synthetic: z.boolean(),
  seasons: z.array(
    z.object({
      season: z.number().int(),
      games: z.number().int(),
      final: z.number().int(),
      scheduled: z.number().int(),
      synthetic: z.boolean(),
      gamesWithOdds: z.number().int(),
      gamesWithClosingMoneyline: z.number().int(),
      oddsCoverage: z.number(),
      homeWinRate: z.number().nullable(),
    }),
  ),
  books: z.array(z.object({ book: z.string(), rows: z.number().int(), games: z.number().int() })),
  lastImport: importSummarySchema.nullable(),
  /** The latest imports, newest first. */
  imports: z.array(importSummarySchema),
  /** Data-quality checks for the Data screen. */
  quality: z.array(
    z.object({ id: z.string(), label: z.string(), status: z.enum(['ok', 'warn', 'info']), count: z.number().int(), detail: z.string() }),
  ),
  demo: demoDescriptionSchema.nullable(),
});

export const dataOps = {
  'demo.build': defineOp({
    kind: 'job',
    summary: 'Build the seeded synthetic demo league (30 teams, 162-game seasons, a bookmaker with ~4% vig); labelled synthetic',
    input: z
      .object({
        seed: z.number().int().default(1),
        seasons: seasonRange.default('2000-2019'),
        /** Plant both effects (a streak-chasing book and a mid-range scoring shift); false for a clean league. */
        effects: z.boolean().default(true),
      })
      .strict(),
    output: jobSchema,
    result: demoBuildResultSchema,
    cli: { path: ['demo'], help: 'build the synthetic demo league (--seed N --seasons 2000-2019)' },
  }),
  'demo.firstStart': defineOp({
    kind: 'command',
    summary: 'Called by the app when it opens: builds the demo league if the workspace has no games and never had an automatic build',
    input: z.object({}).strict(),
    output: z.object({
      started: z.boolean(),
      reason: z.enum(['emptyWorkspace', 'disabled', 'hasGames', 'alreadyStarted', 'running']),
      /** The build this call started, or the one already running. */
      job: jobSchema.nullable(),
    }),
  }),
  'data.upload': defineOp({
    kind: 'command',
    summary:
      'Send a file to the engine in chunks (serve mode: the page cannot name server paths); answers with the path to pass to an import op',
    input: z
      .object({
        /** Absent on the first chunk; then the id the first answer gave. */
        uploadId: uploadId.optional(),
        name: z.string().min(1).max(200),
        offset: z.number().int().min(0),
        base64: z
          .string()
          .max(UPLOAD_CHUNK_BASE64_MAX, `at most ${UPLOAD_CHUNK_BYTES} bytes per chunk`)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
      })
      .strict(),
    output: z.object({ uploadId: z.string(), name: z.string(), path: z.string(), bytes: z.number().int() }),
  }),
  'data.discardUpload': defineOp({
    kind: 'command',
    summary: 'Remove an uploaded file once imported or abandoned',
    input: z.object({ uploadId }).strict(),
    output: z.object({ uploadId: z.string() }),
  }),
  'data.importRetrosheet': defineOp({
    kind: 'command',
    summary: 'Import Retrosheet game logs (GLyyyy.TXT, .gz or .zip) in one transaction; re-importing updates without duplicates',
    input: z.object({ files: z.array(z.string().min(1)).min(1), replaceResults }).strict(),
    output: importResultSchema,
    cli: { path: ['data', 'import', 'retrosheet'], positionals: ['files...'], files: ['files'], help: 'import Retrosheet game logs' },
  }),
  'data.importOdds': defineOp({
    kind: 'command',
    summary: 'Import odds (Pinnacle per-game + line-history files, or the generic CSV), matched to games; unmatched rows reported',
    input: z
      .object({
        files: z.array(z.string().min(1)).min(1),
        format: z.enum(['pinnacle', 'generic']).default('generic'),
        /** Generic CSV only: how prices are written; auto decides per file. */
        oddsFormat: z.enum(['american', 'decimal', 'auto']).default('auto'),
      })
      .strict(),
    output: oddsImportResultSchema,
    cli: { path: ['data', 'import', 'odds'], positionals: ['files...'], files: ['files'], help: 'import odds (--format pinnacle|generic)' },
  }),
  'data.importGames': defineOp({
    kind: 'command',
    summary: 'Import games from CSV or Parquet of the documented games schema; rows without scores are scheduled games',
    input: z.object({ files: z.array(z.string().min(1)).min(1), replaceResults }).strict(),
    output: importResultSchema,
    cli: {
      path: ['data', 'import', 'games'],
      positionals: ['files...'],
      files: ['files'],
      help: 'import games (CSV/Parquet; scheduled games allowed)',
    },
  }),
  'data.status': defineOp({
    kind: 'query',
    summary: 'Seasons, game counts, odds coverage and the last import',
    input: z.object({}).strict(),
    output: dataStatusSchema,
    cli: { path: ['data', 'status'], help: 'show what data is loaded' },
  }),
  'data.export': defineOp({
    kind: 'command',
    summary: 'Export a workspace table to Parquet, CSV or Arrow IPC',
    input: z
      .object({
        table: z.string().min(1),
        format: z.enum(['parquet', 'csv', 'arrow']).optional().describe('default: from the file name (.csv, .arrow), else parquet'),
        out: z.string().min(1),
      })
      .strict(),
    output: z.object({ table: z.string(), format: z.enum(['parquet', 'csv', 'arrow']), out: z.string(), rows: z.number().int() }),
    cli: {
      path: ['data', 'export'],
      positionals: ['table'],
      files: ['out'],
      help: 'export a table (--format parquet|csv|arrow --out FILE)',
    },
  }),
};
