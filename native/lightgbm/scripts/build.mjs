#!/usr/bin/env node
// Builds @bullpen/lightgbm offline: the native addon (LightGBM compiled from the lightgbm npm package's
// source tree, Release, OpenMP) and the TypeScript wrapper in dist/ (CommonJS). Runs as the package's
// install script and skips whatever is already up to date (a stamp holds a hash of the inputs).
//
//   node scripts/build.mjs          addon + dist, only if stale
//   node scripts/build.mjs --force  rebuild both
//   node scripts/build.mjs --cli    also LightGBM's command-line program in build-cli/bin (tests, benchmarks)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));
const args = new Set(process.argv.slice(2));
const force = args.has('--force');

function log(message) {
  process.stderr.write(`[@bullpen/lightgbm] ${message}\n`);
}

// Tools' output goes to stderr: stdout is reserved for the answer of `--cli` (the program's path).
function run(command, commandArgs, cwd = packageDir) {
  const result = spawnSync(command, commandArgs, { cwd, stdio: ['ignore', process.stderr, 'inherit'] });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed with status ${result.status}`);
}

function packageRoot(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

function hashOf(files, extra) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(extra));
  for (const file of files) {
    hash.update(relative(packageDir, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

function upToDate(stampPath, hash, output) {
  return !force && existsSync(output) && existsSync(stampPath) && readFileSync(stampPath, 'utf8').trim() === hash;
}

const lightgbmSource = join(packageRoot('lightgbm'), 'dependencies', 'LightGBM');
if (!existsSync(join(lightgbmSource, 'CMakeLists.txt'))) {
  throw new Error(`LightGBM source tree not found at ${lightgbmSource} (install lightgbm@1.0.27)`);
}
for (const lib of ['fmt', 'fast_double_parser', 'eigen']) {
  if (readdirSync(join(lightgbmSource, 'external_libs', lib)).length === 0) {
    throw new Error(`LightGBM's external_libs/${lib} is empty: the lightgbm package is incomplete`);
  }
}
const lightgbmVersion = readFileSync(join(lightgbmSource, 'VERSION.txt'), 'utf8').trim();
const jobs = String(Math.max(1, availableParallelism()));

function cmakeBuild(buildDir, target, defines) {
  mkdirSync(buildDir, { recursive: true });
  run('cmake', ['-S', packageDir, '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release', `-DLIGHTGBM_SOURCE_DIR=${lightgbmSource}`, ...defines]);
  run('cmake', ['--build', buildDir, '--target', target, '--parallel', jobs]);
}

function buildAddon() {
  const buildDir = join(packageDir, 'build');
  const output = join(buildDir, 'Release', 'lightgbm.node');
  const stamp = join(buildDir, 'stamp.txt');
  const headers = join(packageRoot('node-api-headers'), 'include');
  const addonApi = packageRoot('node-addon-api');
  const inputs = [join(packageDir, 'CMakeLists.txt'), fileURLToPath(import.meta.url), ...listFiles(join(packageDir, 'src', 'native'))];
  const hash = hashOf(inputs, {
    lightgbmVersion,
    addonApi: require('node-addon-api/package.json').version,
    platform: process.platform,
    arch: process.arch,
  });
  if (upToDate(stamp, hash, output)) {
    log(`addon up to date (${relative(packageDir, output)})`);
    return;
  }
  log(`building LightGBM ${lightgbmVersion} and the addon (Release, OpenMP, ${jobs} jobs; a few minutes the first time)`);
  cmakeBuild(buildDir, 'lightgbm_node', [`-DNODE_API_HEADERS_DIR=${headers}`, `-DNODE_ADDON_API_DIR=${addonApi}`]);
  writeFileSync(stamp, `${hash}\n`);
  log(`built ${relative(packageDir, output)}`);
}

// The CLI links the objects already compiled for the addon, so it is LightGBM built exactly as the
// binding's copy, and takes seconds once the addon exists.
function buildCli() {
  buildAddon();
  const output = join(packageDir, 'build-cli', 'bin', 'lightgbm');
  const stamp = join(packageDir, 'build-cli', 'stamp.txt');
  const hash = readFileSync(join(packageDir, 'build', 'stamp.txt'), 'utf8').trim();
  if (!upToDate(stamp, hash, output)) {
    log(`linking LightGBM ${lightgbmVersion} command-line program from the addon's objects`);
    run('cmake', ['--build', join(packageDir, 'build'), '--target', 'lightgbm', '--parallel', jobs]);
    writeFileSync(stamp, `${hash}\n`);
  }
  process.stdout.write(`${output}\n`);
}

function buildDist() {
  const dist = join(packageDir, 'dist');
  const stamp = join(dist, '.stamp');
  const tsconfig = join(packageDir, 'tsconfig.build.json');
  const sources = listFiles(join(packageDir, 'src')).filter((f) => f.endsWith('.ts'));
  const hash = hashOf([tsconfig, ...sources], {});
  if (upToDate(stamp, hash, join(dist, 'index.js'))) {
    log('dist up to date');
    return;
  }
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc');
  } catch {
    throw new Error('typescript is needed to compile @bullpen/lightgbm (install dev dependencies)');
  }
  run(process.execPath, [tsc, '-p', tsconfig]);
  writeFileSync(stamp, `${hash}\n`);
  log('compiled dist/');
}

try {
  if (args.has('--cli')) {
    buildCli();
  } else {
    buildAddon();
    buildDist();
  }
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
