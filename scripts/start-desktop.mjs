#!/usr/bin/env node
// `npm start`: builds the app when its output is missing or stale, makes sure Electron's binary is
// present (package.json denies Electron's install script so `npm ci` works offline; the binary is
// fetched here, on first start), then opens the desktop app. Where Electron cannot run, it says so and
// points to `npx bullpen serve`, which shows the same UI in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const SERVE_HINT = 'Run the same UI in your browser instead:  npx bullpen serve   (then open the URL it prints)';
const BUILD_OUTPUTS = ['out/main/index.js', 'out/main/engineHost.js', 'out/preload/preload.js', 'out/renderer/index.html'];
const SOURCE_DIRS = ['src-main', 'src-renderer', 'src-workers'];

function fail(message) {
  console.error(`\nbullpen: ${message}\n${SERVE_HINT}`);
  process.exit(1);
}

/**
 * Where the desktop window cannot open (no Electron binary offline, no display, root), `npm start`
 * still runs the app: the same UI from `bullpen serve`, in a browser.
 */
function serveInstead(reason) {
  console.error(`\nbullpen: ${reason}\nbullpen: starting the same UI in serve mode instead; open the URL below in a browser.\n`);
  const child = spawn(process.execPath, [join(root, 'bin', 'bullpen.js'), 'serve', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return null;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds when an entry point is missing or any source file is newer than the oldest output. */
function buildIfNeeded() {
  const outputs = BUILD_OUTPUTS.map((p) => join(root, p));
  const missing = outputs.some((p) => !existsSync(p));
  const oldestOutput = missing ? 0 : Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const newestSource = Math.max(
    ...SOURCE_DIRS.map((d) => join(root, d))
      .filter(existsSync)
      .map(newestMtime),
  );
  if (!missing && newestSource <= oldestOutput) return;
  console.log(missing ? 'bullpen: building the app (first start)…' : 'bullpen: sources changed, rebuilding…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) fail('the build failed (see above). Fix it and run `npm start` again.');
}

/** Electron's package writes path.txt once its binary is unpacked; without both, there is no binary. */
function electronBinary() {
  let electronDir;
  try {
    electronDir = dirname(require.resolve('electron/package.json'));
  } catch {
    fail('the electron package is not installed. Run `npm ci` first.');
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { electronDir, binary: null };
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return { electronDir, binary: existsSync(binary) ? binary : null };
}

/** Longest cause quoted from the installer's error: one line, not its stack. */
const CAUSE_CHARS = 160;

/**
 * The first line of what Electron's installer printed on failure, without the error class and the stack
 * trace it adds (`RequestError: getaddrinfo ENOTFOUND github.com` → `getaddrinfo ENOTFOUND github.com`).
 */
function installerCause(stderr) {
  const first = String(stderr ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at '));
  if (!first) return null;
  const cause = first.replace(/^[A-Za-z]*Error:\s*/, '');
  return cause.length > CAUSE_CHARS ? `${cause.slice(0, CAUSE_CHARS)}…` : cause;
}

function ensureElectron() {
  const first = electronBinary();
  if (first.binary) return first.binary;
  console.log("bullpen: Electron's binary is not downloaded yet; fetching it now (about 100 MB, once)…");
  // The installer's stderr is kept, not shown: offline it is a network stack trace, and the message
  // below says what happened and what to do instead.
  const r = spawnSync(process.execPath, [join(first.electronDir, 'install.js')], {
    cwd: first.electronDir,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  const after = electronBinary();
  if (r.status !== 0 || !after.binary) {
    const cause = installerCause(r.stderr) ?? (r.error ? r.error.message : null);
    return serveInstead(
      `could not download Electron's binary (${cause ? `${cause}: ` : ''}offline, or a proxy blocks github.com); ` +
        'retry `npm start` when online for the desktop app, or set ELECTRON_MIRROR to a reachable mirror.',
    );
  }
  return after.binary;
}

/** Reasons Electron cannot open a window here, found before it fails with a cryptic message. */
function checkCanShowWindow() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return serveInstead('no graphical display here (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop window cannot open.');
  }
  if (process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0) {
    return serveInstead("Electron's sandbox refuses to run as root; start the app as a normal user for the desktop window.");
  }
  return true;
}

// The app builds the demo league itself when it opens an empty workspace (demo.firstStart), in the
// desktop window and in serve mode alike.
buildIfNeeded();
const binary = ensureElectron();
if (binary && checkCanShowWindow()) startDesktop(binary);

function startDesktop(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would turn the app into a plain Node process
  const child = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => fail(`could not start Electron: ${err.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
