import { workspaceOps } from './ops/workspace';
import { jobOps } from './ops/jobs';
import { mlOps } from './ops/ml';
import { dataOps } from './ops/data';
import { featureOps } from './ops/features';

export * from './defineOp';
export * from '../../shared/errors';
export * from '../../shared/events';

/**
 * The contract: every operation Bullpen offers, declared once. Add a noun's ops file here and
 * implement it in ../handlers; IPC, HTTP, the renderer client and the CLI pick it up.
 */
export const contract = {
  ...workspaceOps,
  ...jobOps,
  ...mlOps,
  ...dataOps,
  ...featureOps,
} as const;

export type Contract = typeof contract;
export type OpName = keyof Contract;
export const opNames = Object.keys(contract) as OpName[];
