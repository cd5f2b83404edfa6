import { z } from 'zod';

/**
 * The one rule for model names, shared by the contract (a bad `--name` is refused before a job starts)
 * and the engine (which also checks the names it makes up). Names become file names and CLI arguments,
 * so they keep to letters, digits, `_`, `.` and `-`, starting with a letter or digit.
 */
export const MODEL_NAME_MAX_LENGTH = 100;
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const MODEL_NAME_RULE = `may use letters, digits, _ . - (starting with a letter or digit, up to ${MODEL_NAME_MAX_LENGTH})`;

export const modelNameSchema = z.string().regex(MODEL_NAME_PATTERN, `a model name ${MODEL_NAME_RULE}`);
