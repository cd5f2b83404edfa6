import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * What code produced a run: the package version, plus the git commit (and `-dirty`) when running from a
 * checkout, so a run can be traced to the exact source. Computed once per process.
 */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  let dir = __dirname;
  let version = '0.0.0';
  let root: string | null = null;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (parsed.name === 'bullpen') {
          version = parsed.version ?? version;
          root = dir;
          break;
        }
      } catch {
        // not our package.json; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  let commit = '';
  if (root && existsSync(join(root, '.git'))) {
    try {
      commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (dirty) commit += '-dirty';
    } catch {
      // git missing or not a repository: the package version alone identifies the build
    }
  }
  cached = commit ? `${version}+${commit}` : version;
  return cached;
}
