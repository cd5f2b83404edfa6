import { z } from 'zod';
import type { RunService } from '../../tracking/runService';

/** The Bullpen run tag holding where the run's model went in MLflow (a JSON list, newest last). */
export const EXPORT_RECORD_TAG = 'export.mlflow';
/** The latest export's MLflow run page, readable at a glance in run listings. */
export const EXPORT_URL_TAG = 'export.mlflow.url';
/** Exports remembered per run: one per (server, registered model, version); older ones drop off. */
const MAX_RECORDS = 20;

export const exportRecordSchema = z.object({
  trackingUri: z.string(),
  experimentId: z.string(),
  mlflowRunId: z.string(),
  loggedModelId: z.string().nullable(),
  registeredModel: z.string(),
  modelVersion: z.string(),
  /** The registry version exported, when it was one (alias moves follow its stage). */
  registryName: z.string().nullable(),
  registryVersion: z.number().int().nullable(),
  url: z.string(),
  at: z.string(),
});
export type ExportRecord = z.output<typeof exportRecordSchema>;

/** The exports recorded on a run's tags; an unreadable tag reads as none. */
export function exportRecords(tags: Record<string, string>): ExportRecord[] {
  const text = tags[EXPORT_RECORD_TAG];
  if (!text) return [];
  try {
    const parsed = z.array(exportRecordSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Adds (or refreshes) an export on the training run's tags, after the export succeeded and never before. */
export async function recordExport(runs: RunService, runId: string, tags: Record<string, string>, record: ExportRecord): Promise<void> {
  const same = (r: ExportRecord) =>
    r.trackingUri === record.trackingUri && r.registeredModel === record.registeredModel && r.modelVersion === record.modelVersion;
  const records = [...exportRecords(tags).filter((r) => !same(r)), record].slice(-MAX_RECORDS);
  await runs.setTags(runId, { [EXPORT_RECORD_TAG]: JSON.stringify(records), [EXPORT_URL_TAG]: record.url }, []);
}
