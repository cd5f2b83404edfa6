import { csvText } from '../export/csvText';
import { parquetFile } from '../export/parquetFile';
import type { PredictResult } from '../../../../src-main/api/contract';

type PredictionRow = PredictResult['predictions'][number];

export const predictionFormats = ['csv', 'parquet'] as const;
export type PredictionFormat = (typeof predictionFormats)[number];

/** The columns of a downloaded predictions file: the game, its date, the outcome when known (1/0), and p. */
export const PREDICTION_COLUMNS = ['game_id', 'date', 'label', 'p'] as const;

/** A file built in the page from the job's result: its name, media type and bytes. */
export interface PredictionFile {
  name: string;
  mediaType: string;
  content: string | Uint8Array<ArrayBuffer>;
}

/** `predictions-<model>-<seasons>.<ext>`, with anything unsafe in a file name replaced. */
export function predictionFileName(model: string, seasons: string, format: PredictionFormat): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `predictions-${safe(model)}-${safe(seasons)}.${format}`;
}

/** The predictions as CSV or Parquet, one row per game in the order the engine scored them. */
export function predictionFile(rows: PredictionRow[], model: string, seasons: string, format: PredictionFormat): PredictionFile {
  const name = predictionFileName(model, seasons, format);
  if (format === 'csv') {
    return {
      name,
      mediaType: 'text/csv',
      content: csvText(
        [...PREDICTION_COLUMNS],
        rows.map((r) => [r.gameId, r.date, r.label, r.p]),
      ),
    };
  }
  return {
    name,
    mediaType: 'application/vnd.apache.parquet',
    content: parquetFile([
      { name: 'game_id', type: 'string', values: rows.map((r) => r.gameId) },
      { name: 'date', type: 'string', values: rows.map((r) => r.date) },
      { name: 'label', type: 'int32', values: rows.map((r) => r.label) },
      { name: 'p', type: 'double', values: rows.map((r) => r.p) },
    ]),
  };
}
