import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { contract, type OpDef, type OpKind, type OpName } from '../api/contract';
import { inputFields, kebab, type FieldKind, type FieldSpec } from './zodFields';

/** Flags every command takes. */
export interface GlobalFlags {
  workspace?: string;
  json: boolean;
  /** Job ops only: answer with the started job instead of waiting for it. */
  detach: boolean;
}

/** What a parsed command line asks for; executing it is someone else's job (see execute.ts). */
export type Invocation =
  | { kind: 'op'; op: OpName; opKind: OpKind; input: Record<string, unknown>; flags: GlobalFlags }
  | { kind: 'serve'; port: number; host: string; allowWrite: string[]; metricsPort?: number; flags: GlobalFlags };

export const DEFAULT_SERVE_PORT = 7420;
const RESERVED = new Set(['workspace', 'json', 'detach', 'help']);

function coerceScalar(kind: FieldKind, raw: string, what: string): unknown {
  switch (kind.type) {
    case 'string':
      return raw;
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${what}: "${raw}" is not a number`);
      if (kind.integer && !Number.isInteger(n)) throw new InvalidArgumentError(`${what}: "${raw}" is not a whole number`);
      return n;
    }
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new InvalidArgumentError(`${what}: "${raw}" is not true or false`);
    case 'enum':
      if (!kind.choices.includes(raw)) throw new InvalidArgumentError(`${what}: "${raw}" is not one of ${kind.choices.join(', ')}`);
      return raw;
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new InvalidArgumentError(`${what}: not valid JSON: ${raw}`);
      }
    case 'array':
      return coerceArray(kind, [raw], what);
  }
}

function coerceArray(kind: Extract<FieldKind, { type: 'array' }>, raws: string[], what: string): unknown[] {
  // Lists are written `a,b` or by repeating the flag; JSON elements are never split.
  const parts = kind.element.type === 'json' ? raws : raws.flatMap((r) => r.split(',')).filter((p) => p !== '');
  return parts.map((p) => coerceScalar(kind.element, p, what));
}

function describe(field: FieldSpec): string {
  const bits = [field.description ?? field.name];
  if (field.kind.type === 'enum') bits.push(`(${field.kind.choices.join('|')})`);
  if (field.kind.type === 'array') bits.push('(comma-separated or repeated)');
  if (field.kind.type === 'json') bits.push('(JSON)');
  if (field.defaultValue !== undefined) bits.push(`(default: ${JSON.stringify(field.defaultValue)})`);
  return bits.join(' ');
}

function fieldOption(field: FieldSpec): Option[] {
  const flag = `--${kebab(field.name)}`;
  const help = describe(field);
  const k = field.kind;
  if (k.type === 'boolean') {
    return [new Option(flag, help), new Option(`--no-${kebab(field.name)}`, `set ${field.name} to false`)];
  }
  const placeholder = k.type === 'array' ? '<values...>' : k.type === 'json' ? '<json>' : k.type === 'number' ? '<n>' : '<value>';
  const opt = new Option(`${flag} ${placeholder}`, help);
  if (k.type === 'array') {
    opt.argParser((value: string, previous: unknown) => [...((previous as unknown[] | undefined) ?? []), ...coerceArray(k, [value], flag)]);
  } else {
    opt.argParser((value: string) => coerceScalar(k, value, flag));
  }
  if (!field.optional) opt.makeOptionMandatory();
  return [opt];
}

const MAX_PORT = 65535;

/** A TCP port, 0 to 65535 (0 lets the system pick); anything else is bad usage, not an internal error. */
function portParser(flag: string): (raw: string) => number {
  return (raw) => {
    const port = coerceScalar({ type: 'number', integer: true }, raw, flag) as number;
    if (port < 0 || port > MAX_PORT)
      throw new InvalidArgumentError(`${flag}: ${port} is not a port number (0 to ${MAX_PORT}; 0 picks a free one)`);
    return port;
  };
}
const parsePort = portParser('--port');

/** Positional specs are field names; `files...` takes the rest of the line. */
function positionalArgument(spec: string, field: FieldSpec): { name: string; variadic: boolean; syntax: string } {
  const variadic = spec.endsWith('...');
  const name = variadic ? spec.slice(0, -3) : spec;
  const word = kebab(name);
  const body = variadic ? `${word}...` : word;
  return { name, variadic, syntax: field.optional ? `[${body}]` : `<${body}>` };
}

function addGlobalFlags(cmd: Command, withDetach: boolean): Command {
  cmd.option('--workspace <path>', 'workspace file (default: $BULLPEN_WORKSPACE or the user-data folder)');
  cmd.option('--json', 'print exactly one JSON document on standard output');
  if (withDetach) cmd.option('--detach', 'answer with the started job at once instead of waiting for it');
  return cmd;
}

function globalFlags(opts: Record<string, unknown>): GlobalFlags {
  return {
    ...(typeof opts.workspace === 'string' ? { workspace: opts.workspace } : {}),
    json: opts.json === true,
    detach: opts.detach === true,
  };
}

/** Finds or creates the command for a path prefix (`jobs`, then `jobs run`, …). */
function commandAt(root: Command, words: string[]): Command {
  let cmd = root;
  for (const w of words) {
    cmd = cmd.commands.find((c) => c.name() === w) ?? cmd.command(w).description(`${w} commands`);
  }
  return cmd;
}

/** Adds one contract op as a command: its cli.path, its positionals, and a flag per remaining field. */
function addOpCommand(root: Command, name: OpName, def: OpDef, onInvoke: (inv: Invocation) => Promise<void>): void {
  const cli = def.cli;
  if (!cli || cli.path.length === 0) return;
  const fields = inputFields(def.input);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const parent = commandAt(root, cli.path.slice(0, -1));
  const cmd = parent.command(cli.path[cli.path.length - 1]).description(cli.help ?? def.summary);
  const positionals = (cli.positionals ?? []).map((spec) => {
    const field = byName.get(spec.replace(/\.\.\.$/, ''));
    if (!field) throw new Error(`${name}: cli positional "${spec}" is not an input field`);
    return { field, ...positionalArgument(spec, field) };
  });
  for (const p of positionals) {
    cmd.argument(p.syntax, p.field.description ?? p.field.name, (value: string, previous: unknown) =>
      p.variadic
        ? // Each word is one element: file names may contain commas, so positionals are never split.
          [
            ...((previous as unknown[] | undefined) ?? []),
            p.field.kind.type === 'array' ? coerceScalar(p.field.kind.element, value, p.name) : value,
          ]
        : coerceScalar(p.field.kind, value, p.name),
    );
  }
  for (const f of cli.files ?? []) if (!byName.has(f)) throw new Error(`${name}: cli file field "${f}" is not an input field`);
  const positionalNames = new Set(positionals.map((p) => p.name));
  const optionFields = fields.filter((f) => !positionalNames.has(f.name));
  for (const f of optionFields) {
    if (RESERVED.has(f.name)) throw new Error(`${name}: input field "${f.name}" clashes with a global CLI flag`);
    for (const o of fieldOption(f)) cmd.addOption(o);
  }
  addGlobalFlags(cmd, def.kind === 'job');
  cmd.action(async (...args: unknown[]) => {
    const self = args[args.length - 1] as Command;
    const opts = self.opts<Record<string, unknown>>();
    const input: Record<string, unknown> = {};
    positionals.forEach((p, i) => {
      const v = self.processedArgs[i] as unknown;
      if (v !== undefined) input[p.name] = v;
    });
    for (const f of optionFields) {
      // commander keys options by the camelCase of the flag, which is the field name for camelCase fields.
      const key = kebab(f.name).replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
      if (opts[key] !== undefined) input[f.name] = opts[key];
    }
    for (const f of cli.files ?? []) {
      const v = input[f];
      if (typeof v === 'string') input[f] = resolve(v);
      else if (Array.isArray(v)) input[f] = v.map((p) => (typeof p === 'string' ? resolve(p) : p));
    }
    await onInvoke({ kind: 'op', op: name, opKind: def.kind, input, flags: globalFlags(opts) });
  });
}

/**
 * The whole command line, derived from the contract: every op with a cli spec becomes a command, so ops
 * other engineers add appear here with no CLI change. `serve` is the one command that is not an op.
 */
export function buildProgram(onInvoke: (inv: Invocation) => Promise<void>, ops: Record<string, OpDef> = contract): Command {
  const program = new Command('bullpen')
    .description('Bullpen: a research workbench for MLB betting models')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const [name, def] of Object.entries(ops) as [OpName, OpDef][]) addOpCommand(program, name, def, onInvoke);

  const serve = program
    .command('serve')
    .description('serve the UI and the API on 127.0.0.1 with a per-launch token')
    .addOption(new Option('--port <n>', 'port (0 picks a free one)').default(DEFAULT_SERVE_PORT).argParser(parsePort))
    .option('--host <host>', 'address to bind; anything but 127.0.0.1 exposes Bullpen to the network', '127.0.0.1')
    .option(
      '--allow-write <dir>',
      "a folder the browser UI may write exports into besides the workspace's exports/ folder (repeatable)",
      (dir: string, dirs: string[] | undefined) => [...(dirs ?? []), resolve(dir)],
    )
    .addOption(
      new Option(
        '--metrics-port <n>',
        'also serve Prometheus metrics at http://127.0.0.1:<n>/metrics without the token (127.0.0.1 only)',
      ).argParser(portParser('--metrics-port')),
    );
  addGlobalFlags(serve, false);
  serve.action(async (opts: Record<string, unknown>) => {
    await onInvoke({
      kind: 'serve',
      port: opts.port as number,
      host: opts.host as string,
      allowWrite: (opts.allowWrite as string[] | undefined) ?? [],
      ...(typeof opts.metricsPort === 'number' ? { metricsPort: opts.metricsPort } : {}),
      flags: globalFlags(opts),
    });
  });

  // exitOverride on every command so usage errors come back as exceptions (exit 2), not process.exit.
  const visit = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(visit);
  };
  visit(program);
  return program;
}
