import { describe, expect, it } from 'vitest';
import {
  isValidAliasName,
  isValidMlflowKey,
  mlflowKeys,
  renamedKeys,
  sanitizeKey,
} from '../../../src-main/engine/integrations/mlflow/keyNames';

describe("MLflow key names: only [/\\w.\\- ], normalized paths, 250 characters; LightGBM's names renamed and the renames listed", () => {
  it('accepts the keys MLflow accepts and refuses the ones it refuses', () => {
    for (const ok of ['logLoss', 'valid.binary_logloss', 'train/auc', 'time.totalMs', 'a b', 'x-y', 'a'.repeat(250)])
      expect(isValidMlflowKey(ok), ok).toBe(true);
    for (const bad of [
      'ndcg@3',
      'map@5',
      'a:b',
      'é',
      '',
      '/lead',
      'trail/',
      'a//b',
      './a',
      'a/./b',
      '..',
      '../up',
      'a/../b',
      '.',
      'a'.repeat(251),
    ])
      expect(isValidMlflowKey(bad), bad).toBe(false);
  });

  it("renames like MLflow's LightGBM integration: @ reads _at_, other refused characters _, path oddities flattened", () => {
    expect(sanitizeKey('ndcg@3')).toBe('ndcg_at_3');
    expect(sanitizeKey('valid.map@5')).toBe('valid.map_at_5');
    expect(sanitizeKey('a:b')).toBe('a_b');
    expect(sanitizeKey('é')).toBe('_');
    expect(sanitizeKey('a//b')).toBe('a/b');
    expect(sanitizeKey('/lead/')).toBe('lead');
    expect(sanitizeKey('a/../b')).toBe('a/__/b');
    expect(sanitizeKey('')).toBe('_');
    expect(sanitizeKey(`${'x'.repeat(249)}@1`)).toHaveLength(250);
    for (const k of ['ndcg@3', 'a:b', 'a//b', '/lead/', 'a/../b', '', `${'x'.repeat(249)}@1`])
      expect(isValidMlflowKey(sanitizeKey(k)), k).toBe(true);
  });

  it('keeps valid keys, renames the others without collisions, and maps the same set the same way in any order', () => {
    const keys = ['valid.ndcg@3', 'valid.ndcg_at_3', 'train.ndcg@3', 'a:b', 'a;b', 'logLoss'];
    const m = mlflowKeys(keys);
    expect(Object.fromEntries(m)).toEqual({
      logLoss: 'logLoss',
      'valid.ndcg_at_3': 'valid.ndcg_at_3',
      // Sorted: 'a:b' before 'a;b', so the first takes a_b.
      'a:b': 'a_b',
      'a;b': 'a_b_2',
      'train.ndcg@3': 'train.ndcg_at_3',
      // Its natural name is taken by a key that was valid already.
      'valid.ndcg@3': 'valid.ndcg_at_3_2',
    });
    expect(Object.fromEntries(mlflowKeys([...keys].reverse()))).toEqual(Object.fromEntries(m));
    expect(new Set(m.values()).size).toBe(keys.length);
    expect(renamedKeys(m)).toEqual([
      { from: 'a:b', to: 'a_b' },
      { from: 'a;b', to: 'a_b_2' },
      { from: 'train.ndcg@3', to: 'train.ndcg_at_3' },
      { from: 'valid.ndcg@3', to: 'valid.ndcg_at_3_2' },
    ]);
  });

  it('accepts alias names MLflow accepts: [\\w-], not latest, not v<digits>', () => {
    for (const ok of ['champion', 'challenger', 'prod-2', 'v1x', 'version2']) expect(isValidAliasName(ok), ok).toBe(true);
    for (const bad of ['latest', 'LATEST', 'v1', 'V12', 'has space', 'a.b', '', 'x'.repeat(256)])
      expect(isValidAliasName(bad), bad).toBe(false);
  });
});
