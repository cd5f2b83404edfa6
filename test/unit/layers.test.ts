import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const root = resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** Lints a snippet as if it were a file at `filePath` in the tree, and returns the layer-rule messages. */
async function layerViolations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

/** Lints a snippet at `filePath` and returns the no-restricted-imports messages. */
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rule (eslint.config.mjs)', () => {
  it('rejects the engine importing electron', async () => {
    const found = await layerViolations('src-main/engine/probe.ts', "import { app } from 'electron';\nexport const probe = app;\n");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/electron/);
  });

  it('rejects the engine importing the API layer', async () => {
    const found = await layerViolations(
      'src-main/engine/probe.ts',
      "import { contract } from '../api/contract';\nexport const probe = contract;\n",
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/"engine".*"contract"/);
  });

  it('rejects the renderer importing the engine', async () => {
    const found = await layerViolations(
      'src-renderer/src/probe.ts',
      "import { Workspace } from '../../src-main/engine/workspace/workspace';\nexport const probe = Workspace;\n",
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/"renderer".*"engine"/);
  });

  it('rejects a Svelte component importing the engine', async () => {
    const found = await layerViolations(
      'src-renderer/src/screens/ProbeScreen.svelte',
      '<script lang="ts">\n  import { Workspace } from \'../../../src-main/engine/workspace/workspace\';\n  const w: unknown = Workspace;\n</script>\n<p>{String(w)}</p>\n',
    );
    expect(found).toHaveLength(1);
  });

  it('rejects the renderer importing Node built-ins', async () => {
    const found = await layerViolations(
      'src-renderer/src/probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n",
    );
    expect(found).toHaveLength(1);
  });

  it('rejects shared importing anything of ours', async () => {
    const found = await layerViolations(
      'src-main/shared/probe.ts',
      "import { contract } from '../api/contract';\nexport const probe = contract;\n",
    );
    expect(found).toHaveLength(1);
  });

  it('allows the downward imports the architecture names', async () => {
    expect(
      await layerViolations(
        'src-renderer/src/probe.ts',
        "import { contract } from '../../src-main/api/contract';\nimport { createClient } from '../../src-main/api/client';\nexport const probe = [contract, createClient];\n",
      ),
    ).toEqual([]);
    expect(
      await layerViolations(
        'src-main/engine/probe.ts',
        "import { BullpenError } from '../shared/errors';\nimport { z } from 'zod';\nexport const probe = [BullpenError, z];\n",
      ),
    ).toEqual([]);
    expect(
      await layerViolations(
        'src-main/electron/probe.ts',
        "import { app } from 'electron';\nimport { contract } from '../api/contract';\nexport const probe = [app, contract];\n",
      ),
    ).toEqual([]);
  });

  it('keeps src-workers/compute free of tasks, the worker protocol and threads', async () => {
    const found = await restrictedImports(
      'src-workers/compute/metrics/probe.ts',
      "import type { TaskContext } from '../../tasks/taskContext';\nimport { CANCEL_FLAG } from '../../protocol';\nimport { parentPort } from 'node:worker_threads';\nimport Piscina from 'piscina';\nexport const probe = [CANCEL_FLAG, parentPort, Piscina];\nexport type P = TaskContext;\n",
    );
    expect(found).toHaveLength(4);
    // Tasks may import compute, and compute its own modules and shared.
    expect(
      await restrictedImports(
        'src-workers/tasks/probe.ts',
        "import { modelMetrics } from '../compute/metrics';\nexport const probe = modelMetrics;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        'src-workers/compute/metrics/probe.ts',
        "import { inputError } from '../../../src-main/shared/errors';\nimport { pickRows } from '../boosting';\nexport const probe = [inputError, pickRows];\n",
      ),
    ).toEqual([]);
  });
});
