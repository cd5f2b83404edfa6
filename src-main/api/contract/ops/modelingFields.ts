import { z } from 'zod';
import { modelNameSchema } from '../../../shared/modelName';

/** Field schemas the modelling stages' ops share (training, evaluation). */

export const seasonsText = z
  .string()
  .regex(/^\s*\d{4}(\s*-\s*\d{4})?(\s*,\s*\d{4}(\s*-\s*\d{4})?)*\s*$/, 'seasons look like 2016, 2000-2014 or 2000-2010,2012');
export const lgbParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('LightGBM parameters');
export const optionalRunName = z.string().min(1).max(100).optional().describe('a name for the run (and the model)');
/** ml.train's name names the model too, so the model-name rule applies before the job starts. */
export const optionalModelName = modelNameSchema.optional().describe('a name for the run and the model (letters, digits, _ . -)');
