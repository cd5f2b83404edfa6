import { describe, expect, it } from 'vitest';
import { orderByDependencies } from '../../../src-main/engine/features/computeFeatures';
import { inferDependencies } from '../../../src-main/engine/features/definitionSchema';
import { builtinFeatures } from '../../../src-main/engine/features/builtinFeatures';
import { parseSeasons } from '../../../src-main/engine/modeling/featureMatrix';

const f = (name: string, deps: string[]) => ({ name, version: 1, computation: 'SELECT 1', dependencies: deps });

describe('feature dependencies', () => {
  it('orders features after the features they read', () => {
    const out = orderByDependencies([f('c', ['feature:b']), f('b', ['feature:a']), f('a', ['games'])]).map((x) => x.name);
    expect(out).toEqual(['a', 'b', 'c']);
  });

  it('rejects a cycle and a missing dependency by name', () => {
    expect(() => orderByDependencies([f('a', ['feature:b']), f('b', ['feature:a'])])).toThrow(/cycle: a -> b -> a/);
    expect(() => orderByDependencies([f('a', ['feature:zzz'])])).toThrow(/reads feature:zzz/);
  });

  it('infers sources and features a computation reads', () => {
    expect(inferDependencies('SELECT h.game_id, h.value FROM feat_elo_diff h JOIN team_form_pre t USING (game_id)', ['elo_diff'])).toEqual([
      'feature:elo_diff',
      'team_form_pre',
    ]);
  });

  it('declares every dependency each built-in computation reads', () => {
    const names = builtinFeatures.map((b) => b.name);
    for (const b of builtinFeatures) expect(inferDependencies(b.computation, names)).toEqual([...(b.dependencies ?? [])].sort());
  });

  it('parses season lists and ranges', () => {
    expect(parseSeasons('2000-2002,2005')).toEqual([2000, 2001, 2002, 2005]);
    expect(() => parseSeasons('2002-2000')).toThrow(/backwards/);
  });
});
