#!/usr/bin/env node
// `npm run bench -- <name>` runs bench/<name>.ts with tsx; without a name it lists the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const names = process.argv.slice(2);
if (names.length === 0) {
  process.stderr.write(`usage: npm run bench -- <name> [...]\nbenchmarks: ${available.join(', ')}\n`);
  process.exit(2);
}
for (const name of names) {
  const file = join(benchDir, `${name}.ts`);
  if (!existsSync(file)) {
    process.stderr.write(`unknown benchmark ${name}; benchmarks: ${available.join(', ')}\n`);
    process.exit(2);
  }
  const result = spawnSync('npx', ['tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 5);
}
