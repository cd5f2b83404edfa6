import { CommanderError } from 'commander';
import { BullpenError } from '../shared/errors';
import { buildProgram, type Invocation } from './buildProgram';
import { execute } from './execute';
import { printError, processIO, type CliIO } from './output';

/**
 * Global flags may come before the command (`bullpen --workspace W data status`); commander reads them
 * per command, so they move behind it.
 */
export function hoistGlobalFlags(argv: string[]): string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--workspace' && i + 1 < argv.length) {
      lead.push(a, argv[i + 1]);
      i += 2;
    } else if (a.startsWith('--workspace=') || a === '--json') {
      lead.push(a);
      i += 1;
    } else break;
  }
  return [...argv.slice(i), ...lead];
}

/** Parses argv, runs the command, and answers with the exit status; usage errors are exit 2. */
export async function runCli(rawArgv: string[], io: CliIO = processIO): Promise<number> {
  const argv = hoistGlobalFlags(rawArgv);
  let code = 0;
  const program = buildProgram(async (inv: Invocation) => {
    code = await execute(inv, io);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version also arrive here, with exit code 0.
      if (err.exitCode === 0) return 0;
      const usage = new BullpenError('usage', 'USAGE', err.message.replace(/^error: /, ''));
      if (argv.includes('--json')) io.out(`${JSON.stringify({ error: { code: usage.code, message: usage.message } })}\n`);
      return usage.exitCode;
    }
    return printError(
      io,
      err instanceof BullpenError ? err : new BullpenError('internal', 'INTERNAL', String(err)),
      argv.includes('--json'),
    );
  }
}

// Run when out/main/cli.js is started directly; bin/bullpen.js requires it and calls runCli itself.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
