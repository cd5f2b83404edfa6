import { z } from 'zod';
import { BullpenError } from '../errors';
import {
  BACKTEST_PREDICTION_COLUMNS,
  backtestArtifactSchema,
  backtestPredictionRowSchema,
  equityArtifactSchema,
  type BacktestPredictionRow,
} from './backtest';
import { validationReportSchema } from './validation';
import { cvPathsArtifactSchema, foldsArtifactSchema, OOF_COLUMNS, oofRowSchema, type OofRow } from './cv';
import { marketComparisonSchema, reliabilityBinSchema } from './metrics';

/** Which predictions a reliability diagram is drawn from. */
export const calibrationSources = ['valid', 'train', 'out-of-fold', 'test fold', 'backtest games'] as const;

/** `calibration.json`: the reliability diagram of a run's predictions. */
export const calibrationArtifactSchema = z.object({ evaluatedOn: z.enum(calibrationSources), bins: z.array(reliabilityBinSchema) });
export type CalibrationArtifact = z.output<typeof calibrationArtifactSchema>;

/** `importance.json`: per feature, gain and split per fold (one fold for a plain training) and their means. */
export const importanceArtifactSchema = z.object({
  features: z.array(z.string()),
  folds: z.array(z.object({ gain: z.array(z.number()), split: z.array(z.number()) })),
  meanGain: z.array(z.number()),
  meanSplit: z.array(z.number()),
  /** Gain as a share of the fold's total gain, averaged over folds: comparable across models. */
  meanGainShare: z.array(z.number()),
});
export type ImportanceArtifact = z.output<typeof importanceArtifactSchema>;

/** `market.json`: the closing market scored on the run's games; null where too few games carry both prices. */
export const marketArtifactSchema = marketComparisonSchema.nullable();
export type MarketArtifact = z.output<typeof marketArtifactSchema>;

type MediaType = 'application/json' | 'text/plain' | 'text/csv' | 'text/html';

/** How one artifact is stored: its media type, the schema of its value, and its text form. */
interface ArtifactFormat<S extends z.ZodType> {
  mediaType: MediaType;
  schema: S;
  /** The value's text; `value` has passed the schema. */
  encode(value: z.output<S>): string;
  /** The value a stored text holds, before the schema checks it. */
  decode(text: string): unknown;
}

const jsonFormat = <S extends z.ZodType>(schema: S): ArtifactFormat<S> => ({
  mediaType: 'application/json',
  schema,
  encode: (value) => JSON.stringify(value),
  decode: (text) => JSON.parse(text) as unknown,
});

const oofFormat: ArtifactFormat<z.ZodArray<typeof oofRowSchema>> = {
  mediaType: 'text/csv',
  schema: z.array(oofRowSchema),
  encode: (rows) =>
    `${[OOF_COLUMNS.join(','), ...rows.map((r) => `${r.gameId},${r.date},${r.season},${r.fold},${r.label},${r.p}`)].join('\n')}\n`,
  decode: parseOofCsv,
};

/** Reads `oof.csv` by its header, so the column order may change without breaking older runs. */
function parseOofCsv(text: string): unknown[] {
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  const at = Object.fromEntries(OOF_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof OOF_COLUMNS)[number], number>;
  const missing = OOF_COLUMNS.filter((c) => at[c] < 0);
  if (missing.length) throw new Error(`oof.csv has no ${missing.join(', ')} column (header: ${lines[0]})`);
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    return {
      gameId: f[at.game_id],
      date: f[at.date],
      season: Number(f[at.season]),
      fold: Number(f[at.fold]),
      label: Number(f[at.label]),
      p: Number(f[at.p]),
    } satisfies Record<keyof OofRow, unknown>;
  });
}

const predictionsFormat: ArtifactFormat<z.ZodArray<typeof backtestPredictionRowSchema>> = {
  mediaType: 'text/csv',
  schema: z.array(backtestPredictionRowSchema),
  encode: (rows) =>
    `${[BACKTEST_PREDICTION_COLUMNS.join(','), ...rows.map((r) => `${r.gameId},${r.date},${r.season},${r.label},${r.p}`)].join('\n')}\n`,
  decode: (text) => {
    const lines = text.trim().split('\n');
    const header = lines[0].split(',');
    const at = BACKTEST_PREDICTION_COLUMNS.map((c) => header.indexOf(c));
    const missing = BACKTEST_PREDICTION_COLUMNS.filter((_c, i) => at[i] < 0);
    if (missing.length) throw new Error(`predictions.csv has no ${missing.join(', ')} column (header: ${lines[0]})`);
    return lines.slice(1).map((line) => {
      const f = line.split(',');
      return {
        gameId: f[at[0]],
        date: f[at[1]],
        season: Number(f[at[2]]),
        label: Number(f[at[3]]),
        p: Number(f[at[4]]),
      } satisfies Record<keyof BacktestPredictionRow, unknown>;
    });
  },
};

/** A self-contained HTML page (the validation report), stored as written. */
const htmlFormat: ArtifactFormat<z.ZodString> = {
  mediaType: 'text/html',
  schema: z.string().min(1),
  encode: (text) => text,
  decode: (text) => text,
};

/**
 * Every artifact a run stores, by file name. A run writes only these, each checked against its schema
 * when written, and a reader gets each parsed by the same schema: nothing between the worker and a
 * screen is `unknown`.
 */
export const runArtifactFormats = {
  'model.lgb': {
    mediaType: 'text/plain',
    schema: z.string().min(1),
    encode: (text: string) => text,
    decode: (text: string) => text,
  } satisfies ArtifactFormat<z.ZodString>,
  'oof.csv': oofFormat,
  'calibration.json': jsonFormat(calibrationArtifactSchema),
  'importance.json': jsonFormat(importanceArtifactSchema),
  'folds.json': jsonFormat(foldsArtifactSchema),
  'paths.json': jsonFormat(cvPathsArtifactSchema),
  'market.json': jsonFormat(marketArtifactSchema),
  'backtest.json': jsonFormat(backtestArtifactSchema),
  'equity.json': jsonFormat(equityArtifactSchema),
  'predictions.csv': predictionsFormat,
  'validation.json': jsonFormat(validationReportSchema),
  'report.html': htmlFormat,
} as const;
type Formats = typeof runArtifactFormats;
export type RunArtifactName = keyof Formats;
/** What a writer passes for an artifact (NaN allowed where JSON will write null). */
export type ArtifactValue<K extends RunArtifactName> = z.input<Formats[K]['schema']>;
/** What a reader gets back. */
export type ArtifactData<K extends RunArtifactName> = z.output<Formats[K]['schema']>;

/** An artifact checked and turned into the text the run store keeps. */
export interface EncodedArtifact {
  name: RunArtifactName;
  mediaType: MediaType;
  content: string;
}

const firstIssue = (err: z.ZodError): string => {
  const i = err.issues[0];
  return i ? `${i.path.length ? i.path.join('.') : '(value)'}: ${i.message}` : 'invalid';
};

/** Checks a value against its artifact's schema (in its stored form) and encodes it; a mismatch is a bug, reported as such. */
export function encodeArtifact<K extends RunArtifactName>(name: K, value: ArtifactValue<K>): EncodedArtifact {
  const format: ArtifactFormat<z.ZodType> = runArtifactFormats[name];
  // JSON is checked in the form it is stored in (NaN → null), and that very text is stored.
  const json = format.mediaType === 'application/json' ? (JSON.stringify(value) ?? 'null') : null;
  const checked = format.schema.safeParse(json === null ? value : JSON.parse(json));
  if (!checked.success) {
    throw new BullpenError(
      'internal',
      'ARTIFACT_INVALID',
      `run artifact ${name} does not match its schema (${firstIssue(checked.error)}): nothing was stored; please report this`,
      {
        artifact: name,
        issues: checked.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      },
    );
  }
  return { name, mediaType: format.mediaType, content: json ?? format.encode(checked.data) };
}

/** Parses a stored artifact by its schema; `ok: false` with the first issue when the text holds another shape (a run from an older version). */
export function decodeArtifact<K extends RunArtifactName>(
  name: K,
  text: string,
): { ok: true; data: ArtifactData<K> } | { ok: false; issue: string } {
  const format: ArtifactFormat<z.ZodType> = runArtifactFormats[name];
  let raw: unknown;
  try {
    raw = format.decode(text);
  } catch (err) {
    return { ok: false, issue: err instanceof Error ? err.message : String(err) };
  }
  // The format was looked up by `name`, so its schema's output is ArtifactData<K>; the table hides that from TypeScript.
  const parsed = (format.schema as z.ZodType<ArtifactData<K>>).safeParse(raw);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, issue: firstIssue(parsed.error) };
}

/**
 * A run's JSON artifacts inlined by name without `.json`, each parsed by its schema; a run has the
 * ones its kind writes (training: calibration, importance, market; CV: folds too; backtest: backtest, equity).
 */
export const runDataSchema = z.object({
  calibration: calibrationArtifactSchema.optional(),
  importance: importanceArtifactSchema.optional(),
  folds: foldsArtifactSchema.optional(),
  market: marketArtifactSchema.optional(),
  backtest: backtestArtifactSchema.optional(),
  equity: equityArtifactSchema.optional(),
  validation: validationReportSchema.optional(),
});
export type RunData = z.output<typeof runDataSchema>;
export type RunDataKey = keyof RunData;

/** The JSON artifacts a run's detail inlines, and the key each is inlined under. */
const runDataArtifacts = {
  'calibration.json': 'calibration',
  'importance.json': 'importance',
  'folds.json': 'folds',
  'market.json': 'market',
  'backtest.json': 'backtest',
  'equity.json': 'equity',
  'validation.json': 'validation',
} as const satisfies { [K in RunArtifactName]?: RunDataKey };
export type RunDataArtifactName = keyof typeof runDataArtifacts;
export const isRunDataArtifact = (name: string): name is RunDataArtifactName => Object.hasOwn(runDataArtifacts, name);

/** Inlines a parsed artifact under its key (`calibration.json` → `data.calibration`). */
export function setRunData<K extends RunDataArtifactName>(data: RunData, name: K, value: ArtifactData<K>): void {
  // The key and the value come from the same name, so they agree; TypeScript cannot follow that through the table.
  Object.assign(data, { [runDataArtifacts[name]]: value });
}
