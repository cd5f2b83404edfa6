import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommanderError } from 'commander';
import { defineOp, type OpDef } from '../../../src-main/api/contract';
import { buildProgram, type Invocation } from '../../../src-main/cli/buildProgram';
import { runCli } from '../../../src-main/cli';
import type { CliIO } from '../../../src-main/cli/output';

/** A made-up op with every field shape other nouns use, to prove the derivation is general. */
const testOps: Record<string, OpDef> = {
  'data.import': defineOp({
    kind: 'job',
    summary: 'import files',
    input: z
      .object({
        kind: z.enum(['retrosheet', 'odds']),
        files: z.array(z.string()).min(1),
        format: z.enum(['pinnacle', 'generic']).default('generic'),
        seasons: z.array(z.number().int()).optional(),
        dryRun: z.boolean().default(false),
        params: z.record(z.string(), z.unknown()).optional(),
        name: z.string().describe('a label'),
        ratio: z.number().optional(),
      })
      .strict(),
    output: z.object({}),
    cli: { path: ['data', 'import'], positionals: ['kind', 'files...'] },
  }),
};

async function parse(argv: string[], ops?: Record<string, OpDef>): Promise<Invocation> {
  let got: Invocation | undefined;
  const program = buildProgram(async (inv) => {
    got = inv;
  }, ops);
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const c of program.commands) c.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  await program.parseAsync(argv, { from: 'user' });
  if (!got) throw new Error('no invocation');
  return got;
}

function captureIO(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTTY: false,
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

describe('CLI derived from the contract', () => {
  it('turns jobs.list flags into the op input with numbers coerced', async () => {
    const inv = await parse(['jobs', 'list', '--limit', '5', '--state', 'running', '--json', '--workspace', '/tmp/w.duckdb']);
    expect(inv).toEqual({
      kind: 'op',
      op: 'jobs.list',
      opKind: 'query',
      input: { limit: 5, state: 'running' },
      flags: { json: true, workspace: '/tmp/w.duckdb', detach: false },
    });
  });

  it('takes positionals from cli.positionals and kebab-cases camelCase fields', async () => {
    expect(await parse(['jobs', 'show', 'abc'])).toMatchObject({ op: 'jobs.get', input: { id: 'abc' } });
    expect(await parse(['jobs', 'run', 'demo', '--step-delay-ms', '0', '--rounds', '2', '--detach'])).toMatchObject({
      op: 'jobs.runDemo',
      input: { stepDelayMs: 0, rounds: 2 },
      flags: { detach: true },
    });
  });

  it('derives enums, variadic positionals, comma lists, booleans and JSON from zod', async () => {
    const inv = await parse(
      [
        'data',
        'import',
        'odds',
        'a.csv',
        'b.csv',
        '--format',
        'pinnacle',
        '--seasons',
        '2016,2017',
        '--seasons',
        '2018',
        '--dry-run',
        '--params',
        '{"x":1}',
        '--name',
        'n',
        '--ratio',
        '0.5',
      ],
      testOps,
    );
    expect(inv).toMatchObject({
      op: 'data.import',
      opKind: 'job',
      input: {
        kind: 'odds',
        files: ['a.csv', 'b.csv'],
        format: 'pinnacle',
        seasons: [2016, 2017, 2018],
        dryRun: true,
        params: { x: 1 },
        name: 'n',
        ratio: 0.5,
      },
    });
  });

  it('never splits positional file names on commas', async () => {
    expect(await parse(['data', 'import', 'odds', 'odds,2016.csv', 'b.csv', '--name', 'n'], testOps)).toMatchObject({
      input: { files: ['odds,2016.csv', 'b.csv'] },
    });
  });

  it('leaves omitted optional fields out so zod applies the defaults', async () => {
    const inv = await parse(['data', 'import', 'odds', 'a.csv', '--name', 'n', '--no-dry-run'], testOps);
    expect(inv).toMatchObject({ input: { kind: 'odds', files: ['a.csv'], name: 'n', dryRun: false } });
    expect(inv.kind === 'op' && 'format' in inv.input).toBe(false);
  });

  it('refuses bad enum values, non-numbers, bad JSON and missing required flags as usage errors', async () => {
    await expect(parse(['data', 'import', 'odds', 'a.csv', '--name', 'n', '--format', 'xml'], testOps)).rejects.toBeInstanceOf(
      CommanderError,
    );
    await expect(parse(['data', 'import', 'odds', 'a.csv', '--name', 'n', '--seasons', '2016.5'], testOps)).rejects.toThrow(
      /not a whole number/,
    );
    await expect(parse(['data', 'import', 'odds', 'a.csv', '--name', 'n', '--ratio', 'half'], testOps)).rejects.toThrow(/not a number/);
    await expect(parse(['data', 'import', 'odds', 'a.csv', '--name', 'n', '--params', '{bad'], testOps)).rejects.toThrow(/not valid JSON/);
    await expect(parse(['data', 'import', 'odds', 'a.csv'], testOps)).rejects.toThrow(/--name/);
  });

  it('exits 2 with a JSON error on stdout for bad usage under --json', async () => {
    const io = captureIO();
    const code = await runCli(['jobs', 'list', '--limit', 'many', '--json'], io);
    expect(code).toBe(2);
    expect(JSON.parse(io.stdout)).toMatchObject({ error: { code: 'USAGE' } });
  });

  it('offers serve with a port and host', async () => {
    expect(await parse(['serve', '--port', '0'])).toMatchObject({ kind: 'serve', port: 0, host: '127.0.0.1' });
  });
});
