// The engine's copy of LightGBM's parameter table must be the LightGBM Bullpen trains with: the test
// re-reads config.h from the source tree the binding is built from, and asks the built binding for its
// alias table. When LightGBM is upgraded, paste the table the failure prints.
import { describe, expect, it } from 'vitest';
// The package index does not re-export the addon; its alias dump is the binding's own list of names.
import { native } from '@bullpen/lightgbm/dist/native';
import {
  LIGHTGBM_NAMES,
  LIGHTGBM_PARAMETERS,
  lightgbmBounds,
  lightgbmParameterName,
  mergeLightgbmParams,
} from '../../../src-main/engine/sweeps/lightgbmParameters';
import { readLightgbmConfigHeader } from '../../support/lightgbmConfigHeader';

function tableText(table: Record<string, unknown>): string {
  return Object.entries(table)
    .map(([name, p]) => `  ${name}: ${JSON.stringify(p)},`)
    .join('\n');
}

describe('LightGBM parameter table', () => {
  it('is what config.h of the bundled LightGBM declares', () => {
    const fromSource = readLightgbmConfigHeader();
    expect(Object.keys(fromSource).length).toBeGreaterThan(100);
    expect(LIGHTGBM_PARAMETERS, `the table drifted from config.h; the current one is:\n${tableText(fromSource)}`).toEqual(fromSource);
  });

  it('has the names and aliases of the built binding', () => {
    const dump = JSON.parse(native().dumpParamAliases()) as Record<string, string[]>;
    const ours = Object.fromEntries(Object.entries(LIGHTGBM_PARAMETERS).map(([name, p]) => [name, [...p.aliases].sort()]));
    const binding = Object.fromEntries(Object.entries(dump).map(([name, aliases]) => [name, [...aliases].sort()]));
    expect(ours).toEqual(binding);
  });

  it('maps aliases to their parameter, reads the checks, and merges by parameter, not by spelling', () => {
    expect(lightgbmParameterName('min_child_samples')).toBe('min_data_in_leaf');
    expect(lightgbmParameterName('reg_lambda')).toBe('lambda_l2');
    expect(lightgbmParameterName('num_leaves')).toBe('num_leaves');
    expect(lightgbmParameterName('num_leafs')).toBeNull();
    expect(LIGHTGBM_NAMES).toContain('colsample_bytree');
    expect(lightgbmBounds('colsample_bytree')).toEqual([
      { op: '>', bound: 0 },
      { op: '<=', bound: 1 },
    ]);
    expect(lightgbmBounds('max_depth')).toEqual([]);
    // LightGBM keeps min_data_in_leaf over an alias given alongside it, so a plain spread would lose the searched value.
    expect(
      mergeLightgbmParams({ min_data_in_leaf: 200, lambda_l2: 10, objective: 'binary' }, { min_child_samples: 5, reg_lambda: 1 }),
    ).toEqual({
      objective: 'binary',
      min_child_samples: 5,
      reg_lambda: 1,
    });
  });
});
