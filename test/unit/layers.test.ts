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

describe('layer rule (eslint.config.mjs)', () => {
  it('rejects the engine importing electron', async () => {
    const found = await layerViolations('src-main/engine/probe.ts', "import { app } from 'electron';\nexport const probe = app;\n");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/electron/);
  });

  it('rejects the engine importing the API layer', async () => {
    const found = await layerViolations('src-main/engine/probe.ts', "import { contract } from '../api/contract';\nexport const probe = contract;\n");
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
      "<script lang=\"ts\">\n  import { Workspace } from '../../../src-main/engine/workspace/workspace';\n  const w: unknown = Workspace;\n</script>\n<p>{String(w)}</p>\n",
    );
    expect(found).toHaveLength(1);
  });

  it('rejects the renderer importing Node built-ins', async () => {
    const found = await layerViolations('src-renderer/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n");
    expect(found).toHaveLength(1);
  });

  it('rejects shared importing anything of ours', async () => {
    const found = await layerViolations('src-main/shared/probe.ts', "import { contract } from '../api/contract';\nexport const probe = contract;\n");
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
      await layerViolations('src-main/electron/probe.ts', "import { app } from 'electron';\nimport { contract } from '../api/contract';\nexport const probe = [app, contract];\n"),
    ).toEqual([]);
  });
});
