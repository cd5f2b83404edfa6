// Parameter rendering: objects become the "key=value" string LightGBM's C API parses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderParams } from '@bullpen/lightgbm';

describe('renderParams', () => {
  it('renders every key once, in order, and LightGBM-style values', () => {
    expect(
      renderParams({
        objective: 'multiclass',
        num_class: 3,
        is_unbalance: false,
        metric: ['multi_logloss', 'multi_error'],
        min_gain_to_split: 1e-7,
      }),
    ).toBe('objective=multiclass num_class=3 is_unbalance=false metric=multi_logloss,multi_error min_gain_to_split=1e-7');
    expect(renderParams({})).toBe('');
    expect(renderParams({ a: undefined, b: null })).toBe('');
  });

  it('round-trips any safe key and finite number through the rendered string', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc
            .stringMatching(/^[a-z_][a-z0-9_]{0,15}$/)
            .filter((k) => !['num_threads', 'num_thread', 'nthread', 'nthreads', 'n_jobs'].includes(k)),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        (params) => {
          const parsed = Object.fromEntries(
            renderParams(params)
              .split(' ')
              .filter(Boolean)
              .map((kv) => kv.split('=')),
          );
          expect(Object.keys(parsed)).toEqual(Object.keys(params));
          for (const [k, v] of Object.entries(params)) expect(Number(parsed[k])).toBe(v === 0 ? 0 : v);
        },
      ),
    );
  });

  it('refuses values LightGBM would split or misread', () => {
    expect(() => renderParams({ metric: [] })).toThrow(/empty value/);
    expect(() => renderParams({ x: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => renderParams({ x: {} as unknown as string })).toThrow(/unsupported type/);
    expect(() => renderParams({ num_threads: 1.5 })).toThrow(/integer/);
  });
});
