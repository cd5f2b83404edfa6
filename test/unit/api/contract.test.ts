import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, opNames, type OpDef } from '../../../src-main/api/contract';
import { handlers } from '../../../src-main/api/handlers';

const ops = contract as Record<string, OpDef>;

describe('the API contract', () => {
  it('has exactly one handler for every op and no handler without an op', () => {
    expect(Object.keys(handlers).sort()).toEqual([...opNames].sort());
  });

  it('declares every op input as an object schema so HTTP bodies and CLI flags map onto fields', () => {
    for (const name of opNames) expect(ops[name].input, name).toBeInstanceOf(z.ZodObject);
  });

  it('gives every CLI-exposed op a distinct command path', () => {
    const paths = opNames.map((n) => ops[n].cli?.path.join(' ')).filter((p): p is string => !!p);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('names only input fields as CLI positionals', () => {
    for (const name of opNames) {
      const shape = (ops[name].input as z.ZodObject).shape as Record<string, unknown>;
      for (const p of ops[name].cli?.positionals ?? [])
        expect(Object.keys(shape), `${name} positional ${p}`).toContain(p.replace(/\.\.\.$/, ''));
    }
  });

  it('rejects unknown fields in the demo job input instead of ignoring them', () => {
    expect(contract['jobs.runDemo'].input.safeParse({ rounds: 2, bogus: 1 }).success).toBe(false);
    expect(contract['jobs.runDemo'].input.parse({})).toEqual({ stepDelayMs: 250, rounds: 4 });
  });
});
