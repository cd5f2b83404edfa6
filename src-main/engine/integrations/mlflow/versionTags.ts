import type { Approval } from '../../registry/registryService';
import type { ExportSource } from './exportSource';
import type { KeyValue } from './mlflowApi';
import { BULLPEN_RUN_TAG } from './runContent';

/** Registered-model version tags: Bullpen's stage and gates, visible in MLflow's registry UI. */
export const VERSION_TAGS = { stage: 'stage', validation: 'validation.status', approvals: 'approvals' } as const;

/** MLflow's longest model-version tag value. */
const MAX_VERSION_TAG_VALUE = 5000;

/** `approvals` tag text, newest first: `production:approved by ana at 2025-…; staging:approved by bo at …`. */
export function approvalsText(approvals: readonly Approval[]): string {
  if (!approvals.length) return 'none';
  return [...approvals]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((a) => `${a.stage}:${a.decision} by ${a.actor} at ${a.at}`)
    .join('; ')
    .slice(0, MAX_VERSION_TAG_VALUE);
}

/** Tags an exported model version carries: Bullpen's stage, validation and approvals, and where it came from. */
export function versionTags(source: ExportSource): KeyValue[] {
  return [
    { key: VERSION_TAGS.stage, value: source.registry?.stage ?? 'none' },
    { key: VERSION_TAGS.validation, value: source.validation?.record.status ?? 'none' },
    { key: VERSION_TAGS.approvals, value: approvalsText(source.registry?.approvals ?? []) },
    { key: BULLPEN_RUN_TAG, value: source.run.id },
    { key: 'bullpen.model', value: source.model.name },
    ...(source.registry ? [{ key: 'bullpen.registryVersion', value: `${source.registry.modelName}:${source.registry.version}` }] : []),
  ];
}
