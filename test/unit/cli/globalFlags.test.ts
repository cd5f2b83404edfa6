import { describe, expect, it } from 'vitest';
import { hoistGlobalFlags } from '../../../src-main/cli/index';

describe('global flags before the command', () => {
  it('move behind the command so every command reads them', () => {
    expect(hoistGlobalFlags(['--workspace', 'w.duckdb', '--json', 'data', 'status'])).toEqual([
      'data',
      'status',
      '--workspace',
      'w.duckdb',
      '--json',
    ]);
    expect(hoistGlobalFlags(['--workspace=w.duckdb', 'jobs', 'list'])).toEqual(['jobs', 'list', '--workspace=w.duckdb']);
  });

  it('leave everything else where it is', () => {
    expect(hoistGlobalFlags(['data', 'status', '--workspace', 'w'])).toEqual(['data', 'status', '--workspace', 'w']);
    expect(hoistGlobalFlags(['--help'])).toEqual(['--help']);
    expect(hoistGlobalFlags(['--workspace'])).toEqual(['--workspace']);
  });
});
