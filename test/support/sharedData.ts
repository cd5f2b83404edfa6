import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The read-only real MLB data beside the project (../shared/data from the repository root), or
 * BULLPEN_SHARED_DATA when set. Never copied into the repository.
 */
export function sharedDataDir(): string {
  return process.env.BULLPEN_SHARED_DATA ?? resolve(__dirname, '..', '..', '..', 'shared', 'data');
}

export function sharedDataPath(...parts: string[]): string {
  return resolve(sharedDataDir(), ...parts);
}

export const hasSharedData = (): boolean => existsSync(sharedDataPath('retrosheet')) && existsSync(sharedDataPath('pinnacle'));
