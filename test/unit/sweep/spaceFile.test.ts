import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { DEFAULT_SEARCH_SPACE, paramActive, type SearchSpace } from '../../../src-main/shared/sweep/distributions';
import { capSpace, parseSearchSpace, readSpaceFile, spaceFromObject, spaceToYaml } from '../../../src-main/engine/sweeps/spaceFile';
import { mergeLightgbmParams } from '../../../src-main/engine/sweeps/lightgbmParameters';

/** The error a call throws, failing the test when it does not throw one. */
function refusal(run: () => unknown): BullpenError {
  try {
    run();
  } catch (err) {
    if (err instanceof BullpenError) return err;
    throw err;
  }
  throw new Error('expected the search space to be refused');
}

/** The one-problem message of a refused space, after the common prefix. */
function problem(text: string): string {
  const err = refusal(() => parseSearchSpace(text, 'space.yaml'));
  expect(err.kind).toBe('input');
  expect(err.code).toBe('SPACE_INVALID');
  expect(err.exitCode).toBe(3);
  expect(err.message.startsWith('invalid search space in space.yaml: ')).toBe(true);
  return err.message.slice('invalid search space in space.yaml: '.length);
}

const ISSUE_EXAMPLE = `
num_leaves: {type: int, low: 10, high: 300}
learning_rate: {type: float, low: 0.01, high: 0.3, log: true}
bagging_freq: {type: int, low: 1, high: 7, step: 2}
boosting: {type: categorical, choices: [gbdt, dart]}
drop_rate: {type: float, low: 0.05, high: 0.5, when: {boosting: [dart]}}
`;

describe('search-space files', () => {
  it('reads int, float, log, step, categorical and conditional parameters in the order written', () => {
    const space = parseSearchSpace(ISSUE_EXAMPLE, 'space.yaml');
    expect(space).toEqual({
      params: [
        { name: 'num_leaves', distribution: { type: 'int', low: 10, high: 300, log: false, step: 1 } },
        { name: 'learning_rate', distribution: { type: 'float', low: 0.01, high: 0.3, log: true, step: null } },
        { name: 'bagging_freq', distribution: { type: 'int', low: 1, high: 7, log: false, step: 2 } },
        { name: 'boosting', distribution: { type: 'categorical', choices: ['gbdt', 'dart'] } },
        {
          name: 'drop_rate',
          distribution: { type: 'float', low: 0.05, high: 0.5, log: false, step: null },
          when: { param: 'boosting', in: ['dart'] },
        },
      ],
    });
    const dropRate = space.params[4];
    expect(paramActive(dropRate, { boosting: 'dart' })).toBe(true);
    expect(paramActive(dropRate, { boosting: 'gbdt' })).toBe(false);
  });

  it('reads JSON, a single `when` value, float steps that divide up to rounding, and the stored {params} form', () => {
    const json = parseSearchSpace(
      '{"boosting": {"type": "categorical", "choices": ["gbdt", "dart"]}, "skip_drop": {"type": "float", "low": 0.1, "high": 1.0, "step": 0.1, "when": {"boosting": "dart"}}}',
      'space.json',
    );
    expect(json.params[1]).toEqual({
      name: 'skip_drop',
      distribution: { type: 'float', low: 0.1, high: 1, log: false, step: 0.1 },
      when: { param: 'boosting', in: ['dart'] },
    });
    expect(spaceFromObject(json, 'stored')).toEqual(json);
    expect(spaceFromObject(DEFAULT_SEARCH_SPACE, 'stored')).toEqual(DEFAULT_SEARCH_SPACE);
  });

  it('round-trips the default space and a conditional one through spaceToYaml', () => {
    const text = spaceToYaml(DEFAULT_SEARCH_SPACE);
    expect(text).toContain('learning_rate: { type: float, low: 0.01, high: 0.3, log: true }');
    expect(text).toMatch(/^# Bullpen search space/);
    expect(parseSearchSpace(text, 'default')).toEqual(DEFAULT_SEARCH_SPACE);
    const conditional = parseSearchSpace(
      `${ISSUE_EXAMPLE}extra_trees: {type: categorical, choices: [true, false]}\nmax_bin: {type: categorical, choices: [63, 255], when: {extra_trees: [true]}}\n`,
      'c',
    );
    expect(parseSearchSpace(spaceToYaml(conditional), 'again')).toEqual(conditional);
  });

  it('refuses low above high', () => {
    expect(problem('num_leaves: {type: int, low: 300, high: 10}')).toBe('`num_leaves`: low 300 is above high 10: swap them');
  });

  it('refuses log with a bound at or below 0, and log with a step', () => {
    expect(problem('learning_rate: {type: float, low: 0, high: 0.3, log: true}')).toBe(
      '`learning_rate`: log: true needs bounds above 0, and low is 0: raise low (e.g. 1e-8) or drop log',
    );
    expect(problem('max_bin: {type: int, low: -5, high: 255, log: true}')).toContain(
      'log: true needs bounds above 0, and low is -5: raise low (e.g. 1)',
    );
    expect(problem('learning_rate: {type: float, low: 0.01, high: 0.3, log: true, step: 0.01}')).toBe(
      '`learning_rate`: log and step exclude each other (as in Optuna): drop one of them',
    );
    expect(problem('num_leaves: {type: int, low: 16, high: 256, log: true, step: 2}')).toContain('log and step exclude each other');
  });

  it('refuses a step that does not divide high − low, suggesting the highs that would', () => {
    expect(problem('bagging_freq: {type: int, low: 1, high: 8, step: 2}')).toBe(
      '`bagging_freq`: step 2 does not divide high − low = 7: use high 7 or 9, or a step that divides the range',
    );
    expect(problem('feature_fraction: {type: float, low: 0.4, high: 1.0, step: 0.25}')).toBe(
      '`feature_fraction`: step 0.25 does not divide high − low = 0.6: use high 0.9, or a step that divides the range',
    );
    expect(problem('num_leaves: {type: int, low: 10, high: 300, step: 0}')).toBe('`num_leaves`: step must be a number above 0, got 0');
  });

  it('refuses unknown LightGBM parameters with the closest name or alias', () => {
    expect(problem('num_leafs: {type: int, low: 10, high: 300}')).toBe(
      '`num_leafs` is not a LightGBM parameter: did you mean `num_leaf` (an alias of `num_leaves`)?',
    );
    expect(problem('learnin_rate: {type: float, low: 0.01, high: 0.3}')).toBe(
      '`learnin_rate` is not a LightGBM parameter: did you mean `learning_rate`?',
    );
    expect(problem('zzz: {type: int, low: 1, high: 2}')).toContain('`zzz` is not a LightGBM parameter (names as in LightGBM 4.1');
  });

  it('refuses the parameters the sweep owns: threads, objective, metric, seeds, rounds', () => {
    expect(problem('num_threads: {type: int, low: 1, high: 4}')).toBe(
      '`num_threads` cannot be searched: threads per trial are the sweep’s to set (workers × threads = cores); remove it from the space',
    );
    expect(problem('n_jobs: {type: int, low: 1, high: 4}')).toContain("`n_jobs` (LightGBM's num_threads) cannot be searched");
    expect(problem('objective: {type: categorical, choices: [binary, cross_entropy]}')).toContain(
      '`objective` cannot be searched: the sweep trains the binary objective of its target',
    );
    expect(problem('metric: {type: categorical, choices: [auc]}')).toContain(
      '`metric` cannot be searched: trials are scored by the sweep’s --objectives',
    );
    expect(problem('random_state: {type: int, low: 1, high: 9}')).toContain(
      "`random_state` (LightGBM's seed) cannot be searched: the sweep derives every seed",
    );
    expect(problem('bagging_seed: {type: int, low: 1, high: 9}')).toContain('cannot be searched: the sweep derives every seed from --seed');
    expect(problem('n_estimators: {type: int, low: 100, high: 900}')).toContain(
      'cannot be searched: the sweep boosts up to --num-boost-round',
    );
    expect(problem('tweedie_variance_power: {type: float, low: 1, high: 1.9}')).toContain('does not apply to the binary objective');
    expect(problem('monotone_constraints: {type: categorical, choices: ["1,0"]}')).toContain('a sweep searches single values');
  });

  it('refuses two spellings of one LightGBM parameter, and a key given twice', () => {
    expect(problem('min_child_samples: {type: int, low: 5, high: 100}\nmin_data_in_leaf: {type: int, low: 5, high: 50}')).toBe(
      '`min_child_samples` and `min_data_in_leaf` are the same LightGBM parameter (min_data_in_leaf): keep one of them',
    );
    expect(problem('num_leaves: {type: int, low: 10, high: 300}\nnum_leaves: {type: int, low: 10, high: 30}')).toBe(
      'not valid YAML or JSON at line 2, column 1: Map keys must be unique',
    );
  });

  it('refuses a `when` on an unknown, later, non-categorical or own parameter, or on a value that is not a choice', () => {
    const dropRate = 'drop_rate: {type: float, low: 0.05, high: 0.5, when: {boosting: [dart]}}';
    const boosting = 'boosting: {type: categorical, choices: [gbdt, dart]}';
    expect(problem(`${dropRate}\n${boosting}`)).toBe(
      '`drop_rate`: when names `boosting`, which comes later: move `boosting` above `drop_rate`',
    );
    expect(
      problem(`boostng: {type: categorical, choices: [gbdt]}\ndrop_rate: {type: float, low: 0.05, high: 0.5, when: {boosting: [dart]}}`),
    ).toContain('when names `boosting`, which is not in the space: did you mean `boostng`?');
    expect(
      problem(`num_leaves: {type: int, low: 10, high: 300}\ndrop_rate: {type: float, low: 0.05, high: 0.5, when: {num_leaves: [31]}}`),
    ).toBe('`drop_rate`: when can only test a categorical parameter, and `num_leaves` is type int');
    expect(problem(`${boosting}\ndrop_rate: {type: float, low: 0.05, high: 0.5, when: {boosting: [goss]}}`)).toBe(
      "`drop_rate`: when boosting is goss, but `boosting`'s choices are gbdt, dart",
    );
    expect(problem('drop_rate: {type: float, low: 0.05, high: 0.5, when: {drop_rate: [1]}}')).toContain('when names the parameter itself');
    expect(problem(`${boosting}\ndrop_rate: {type: float, low: 0.05, high: 0.5, when: dart}`)).toContain(
      'when must name one earlier categorical parameter and its values',
    );
  });

  it('refuses an empty space, malformed text and a top level that is not a map', () => {
    const empty = 'the search space is empty: give at least one parameter, e.g. `num_leaves: {type: int, low: 10, high: 300}`';
    expect(problem('')).toBe(empty);
    expect(problem('# nothing but a comment\n')).toBe(empty);
    expect(problem('{}')).toBe(empty);
    expect(problem('{"params": []}')).toBe(empty);
    expect(problem('num_leaves: {type: int, low: 10, high: 300')).toMatch(/^not valid YAML or JSON at line 1, column \d+: /);
    expect(problem('- num_leaves\n- max_depth\n')).toContain('a search space is a map from LightGBM parameter to its range');
    expect(problem('num_leaves: [10, 300]')).toBe('`num_leaves` must be a map such as {type: int, low: 10, high: 300}, got a list');
  });

  it('refuses unknown fields and types with a did-you-mean', () => {
    expect(problem('num_leaves: {tpye: int, low: 10, high: 300}')).toBe(
      '`num_leaves`: `tpye` is not a field of a search parameter: did you mean `type`?',
    );
    expect(problem('num_leaves: {type: int, low: 10, hihg: 300}')).toContain(
      '`hihg` is not a field of a search parameter: did you mean `high`?',
    );
    expect(problem('num_leaves: {type: integer, low: 10, high: 300}')).toBe(
      '`num_leaves`: type must be int, float or categorical, got integer: did you mean `int`?',
    );
    expect(problem('num_leaves: {type: flaot, low: 10, high: 300}')).toContain('got flaot: did you mean `float`?');
    expect(problem('num_leaves: {low: 10, high: 300}')).toBe(
      '`num_leaves` needs a type (int, float or categorical): add `type: int` or `type: float`',
    );
    expect(problem('boosting: {choices: [gbdt, dart]}')).toContain('add `type: categorical`');
  });

  it('refuses values LightGBM itself would refuse: its bounds, types and enum values', () => {
    expect(problem('feature_fraction: {type: float, low: 0.4, high: 1.5}')).toBe(
      '`feature_fraction`: LightGBM needs feature_fraction > 0 and ≤ 1, and high 1.5 is outside',
    );
    expect(problem('num_leaves: {type: int, low: 1, high: 300}')).toContain(
      'LightGBM needs num_leaves > 1 and ≤ 131072, and low 1 is outside',
    );
    expect(problem('num_leaves: {type: float, low: 10, high: 300}')).toBe('`num_leaves` is an integer in LightGBM: use type: int');
    expect(problem('max_depth: {type: int, low: 3.5, high: 15}')).toBe(
      '`max_depth` is type int: low 3.5 must be whole (or use type: float)',
    );
    expect(problem('extra_trees: {type: int, low: 0, high: 1}')).toContain(
      'is true/false in LightGBM: search it as {type: categorical, choices: [true, false]}',
    );
    expect(problem('boosting: {type: categorical, choices: [gbdt, dartt]}')).toBe(
      "`boosting`: dartt is not one of LightGBM's boosting values (gbdt, rf, dart): did you mean `dart`?",
    );
    expect(problem('boosting: {type: categorical, choices: [gbdt, gbdt]}')).toBe('`boosting`: choices repeat gbdt: list each once');
    expect(problem('lambda_l1: {type: categorical, choices: [0, -1]}')).toContain('LightGBM needs lambda_l1 ≥ 0, and choice -1 is outside');
    // LightGBM's own aliases of an enum value are accepted.
    expect(parseSearchSpace('boosting: {type: categorical, choices: [gbrt, dart]}', 's').params[0].distribution).toEqual({
      type: 'categorical',
      choices: ['gbrt', 'dart'],
    });
  });

  it('lists every problem of a file in one refusal, with the first parameter in the details', () => {
    const err = refusal(() =>
      parseSearchSpace('num_leaves: {type: int, low: 300, high: 10}\nlearnin_rate: {type: float, low: 0.01, high: 0.3}\n', 'two.yaml'),
    );
    expect(err.details).toMatchObject({ source: 'two.yaml', param: 'num_leaves' });
    expect((err.details?.problems as unknown[]).length).toBe(2);
    expect(err.message).toContain('low 300 is above high 10: swap them; `learnin_rate` is not a LightGBM parameter');
  });
});

describe('readSpaceFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-space-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and names it in refusals; a missing file is SPACE_UNREADABLE (exit 3)', async () => {
    const good = join(dir, 'space.yaml');
    writeFileSync(good, ISSUE_EXAMPLE);
    expect((await readSpaceFile(good)).params.map((p) => p.name)).toEqual([
      'num_leaves',
      'learning_rate',
      'bagging_freq',
      'boosting',
      'drop_rate',
    ]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"num_leaves": {"type": "int", "low": 300, "high": 10}}');
    await expect(readSpaceFile(bad)).rejects.toMatchObject({
      code: 'SPACE_INVALID',
      message: `invalid search space in ${bad}: \`num_leaves\`: low 300 is above high 10: swap them`,
    });
    await expect(readSpaceFile(join(dir, 'missing.yaml'))).rejects.toMatchObject({ code: 'SPACE_UNREADABLE', kind: 'input' });
  });
});

describe('capSpace', () => {
  it('clamps a searched num_leaves and max_depth to the caps, staying on the step grid', () => {
    const space = parseSearchSpace(
      'num_leaves: {type: int, low: 8, high: 256, step: 8}\nmax_depth: {type: int, low: -1, high: 15, step: 2}\nlearning_rate: {type: float, low: 0.01, high: 0.3, log: true}',
      's',
    );
    const { space: capped, fixed } = capSpace(space, { maxLeaves: 60, maxDepth: 8 });
    expect(capped.params[0].distribution).toEqual({ type: 'int', low: 8, high: 56, log: false, step: 8 });
    // max_depth ≤ 0 means no limit in LightGBM, so the cap removes it: the grid −1, 1, 3, … keeps 1..7.
    expect(capped.params[1].distribution).toEqual({ type: 'int', low: 1, high: 7, log: false, step: 2 });
    expect(capped.params[2]).toEqual(space.params[2]);
    expect(fixed).toEqual({});
    expect(space.params[0].distribution).toMatchObject({ high: 256 });
  });

  it('fixes the cap for trials the space leaves uncapped: absent parameters (LightGBM defaults or base) and conditional ones', () => {
    const only = parseSearchSpace('learning_rate: {type: float, low: 0.01, high: 0.3, log: true}', 's');
    expect(capSpace(only, { maxLeaves: 20, maxDepth: 6 }).fixed).toEqual({ num_leaves: 20, max_depth: 6 });
    // A base that already respects the leaf cap needs nothing fixed; LightGBM's default of 31 leaves does not.
    expect(capSpace(only, { maxLeaves: 20 }, { num_leaves: 15 }).fixed).toEqual({});
    expect(capSpace(only, { maxLeaves: 64 }).fixed).toEqual({});
    expect(capSpace(only, { maxDepth: 6 }, { max_depth: 4 }).fixed).toEqual({});
    const conditional = parseSearchSpace(
      'boosting: {type: categorical, choices: [gbdt, dart]}\nmax_leaves: {type: int, low: 4, high: 64, when: {boosting: [dart]}}',
      's',
    );
    const { space, fixed } = capSpace(conditional, { maxLeaves: 16 });
    expect(space.params[1].distribution).toMatchObject({ low: 4, high: 16 });
    expect(fixed).toEqual({ max_leaves: 16 });
    // How trials apply it: the sampled value wins, the fixed one fills in, and an alias replaces the canonical name.
    expect(mergeLightgbmParams(mergeLightgbmParams({ num_leaves: 31, lambda_l2: 10 }, fixed), { boosting: 'gbdt' })).toEqual({
      lambda_l2: 10,
      max_leaves: 16,
      boosting: 'gbdt',
    });
    expect(mergeLightgbmParams(mergeLightgbmParams({ num_leaves: 31 }, fixed), { boosting: 'dart', max_leaves: 9 })).toEqual({
      max_leaves: 9,
      boosting: 'dart',
    });
  });

  it('filters categorical choices and the conditions on them, and refuses a range entirely above a cap', () => {
    const space: SearchSpace = parseSearchSpace(
      'num_leaves: {type: categorical, choices: [15, 63, 255]}\ndrop_rate: {type: float, low: 0.05, high: 0.5, when: {num_leaves: [63, 255]}}',
      's',
    );
    // `when` may only test a categorical parameter: num_leaves is one here.
    const capped = capSpace(space, { maxLeaves: 100 });
    expect(capped.space.params[0].distribution).toEqual({ type: 'categorical', choices: [15, 63] });
    expect(capped.space.params[1].when).toEqual({ param: 'num_leaves', in: [63] });
    const over = refusal(() => capSpace(space, { maxLeaves: 10 }));
    expect(over.code).toBe('SPACE_INVALID');
    expect(over.message).toContain('`num_leaves` has no value within 2..10 allowed by --max-leaves 10');
    const deep = parseSearchSpace('max_depth: {type: int, low: 20, high: 30}', 's');
    expect(refusal(() => capSpace(deep, { maxDepth: 10 })).message).toContain(
      '`max_depth` has no value within 1..10 allowed by --max-depth 10',
    );
    const onlyBig = parseSearchSpace(
      'num_leaves: {type: categorical, choices: [15, 255]}\ndrop_rate: {type: float, low: 0.05, high: 0.5, when: {num_leaves: [255]}}',
      's',
    );
    expect(refusal(() => capSpace(onlyBig, { maxLeaves: 64 })).message).toContain(
      '`drop_rate` is searched only when num_leaves is 255, which --max-leaves 64 excludes',
    );
  });
});
