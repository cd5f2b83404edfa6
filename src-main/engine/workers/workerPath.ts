import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'bullpen';

/**
 * Where a built CommonJS entry (out/main/<file>) lives. From the bundle (out/main/*.js, also inside
 * app.asar) it sits beside the running code; from sources (vitest, tsx) it is out/main/ under the package
 * root, which needs `npm run build` first.
 */
export function builtMainFile(file: string, from: string = __dirname): string {
  const sibling = join(from, file);
  if (existsSync(sibling)) return sibling;
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return join(dir, 'out', 'main', file);
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) return sibling;
    dir = up;
  }
}

/** The Piscina worker entry, out/main/computeWorker.js. */
export const computeWorkerPath = (from: string = __dirname): string => builtMainFile('computeWorker.js', from);
