// Python's lightgbm (pinned in test/python-requirements.txt) for the interoperability tests: data
// passes through raw float64 files so no digit is lost on the way.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const PYTHON = process.env.PYTHON ?? 'python3';

/** The installed Python lightgbm version, or null when python3, numpy or lightgbm is missing. */
export function pythonLightgbmVersion(): string | null {
  const result = spawnSync(PYTHON, ['-c', 'import numpy, lightgbm; print(lightgbm.__version__)'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export function writeF64(path: string, values: Float64Array): void {
  writeFileSync(path, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
}

export function readF64(path: string): Float64Array {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Runs a Python script with arguments; throws with its stderr when it fails. */
export function runPython(script: string, args: readonly string[]): string {
  const result = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr.slice(-3000)}`);
  return result.stdout;
}
