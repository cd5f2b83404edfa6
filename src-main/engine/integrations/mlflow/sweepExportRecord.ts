import { z } from 'zod';
import type { RunService } from '../../tracking/runService';
import { EXPORT_URL_TAG } from './exportRecord';

/** The sweep run's tag holding where the sweep went in MLflow (a JSON list, newest last). */
export const SWEEP_EXPORT_RECORD_TAG = 'export.mlflow.sweep';
/** Exports remembered per sweep run: one per (server, experiment); older ones drop off. */
const MAX_RECORDS = 20;

export const sweepExportRecordSchema = z.object({
  trackingUri: z.string(),
  experimentId: z.string(),
  /** The parent run. */
  mlflowRunId: z.string(),
  trials: z.number().int().min(0),
  url: z.string(),
  at: z.string(),
});
export type SweepExportRecord = z.output<typeof sweepExportRecordSchema>;

/** The sweep exports recorded on a run's tags; an unreadable tag reads as none. */
export function sweepExportRecords(tags: Record<string, string>): SweepExportRecord[] {
  const text = tags[SWEEP_EXPORT_RECORD_TAG];
  if (!text) return [];
  try {
    const parsed = z.array(sweepExportRecordSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Adds (or refreshes) a sweep export on the sweep's run, after the export succeeded and never before. */
export async function recordSweepExport(
  runs: RunService,
  runId: string,
  tags: Record<string, string>,
  record: SweepExportRecord,
): Promise<void> {
  const same = (r: SweepExportRecord) => r.trackingUri === record.trackingUri && r.experimentId === record.experimentId;
  const records = [...sweepExportRecords(tags).filter((r) => !same(r)), record].slice(-MAX_RECORDS);
  await runs.setTags(runId, { [SWEEP_EXPORT_RECORD_TAG]: JSON.stringify(records), [EXPORT_URL_TAG]: record.url }, []);
}
