// Reads LightGBM's parameter table from its own source (include/LightGBM/config.h of the lightgbm npm
// package, the tree the native binding is built from): the comments above each field say its aliases,
// type, allowed options and checks. The unit test compares src-main/engine/sweeps/lightgbmParameters.ts
// with what this reads, so the embedded table cannot drift from the LightGBM that Bullpen trains with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightgbmGroup, LightgbmParameter, LightgbmType } from '../../src-main/engine/sweeps/lightgbmParameters';

export const lightgbmSourceDir = join(__dirname, '../../node_modules/lightgbm/dependencies/LightGBM');

const GROUPS: Record<string, LightgbmGroup> = {
  'Core Parameters': 'core',
  'Learning Control Parameters': 'learning',
  'Dataset Parameters': 'dataset',
  'Predict Parameters': 'predict',
  'Convert Parameters': 'convert',
  'Objective Parameters': 'objective',
  'Metric Parameters': 'metric',
  'Network Parameters': 'network',
  'GPU Parameters': 'gpu',
};

function typeOf(declared: string | undefined, cppType: string): LightgbmType {
  if (declared === 'enum') return 'enum';
  if (declared?.startsWith('multi') || cppType.startsWith('std::vector')) return 'list';
  if (declared === 'int or string') return 'string';
  if (cppType === 'int') return 'int';
  if (cppType === 'double') return 'double';
  if (cppType === 'bool') return 'bool';
  if (cppType === 'std::string') return 'string';
  throw new Error(`config.h: unexpected parameter type ${cppType}`);
}

const list = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Every parameter of config.h's `#pragma region Parameters`, in its order. */
export function readLightgbmConfigHeader(): Record<string, LightgbmParameter> {
  const lines = readFileSync(join(lightgbmSourceDir, 'include/LightGBM/config.h'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes('#pragma region Parameters'));
  if (start < 0) throw new Error('config.h: no `#pragma region Parameters`');
  const regions = ['Parameters'];
  let comments: string[] = [];
  const out: Record<string, LightgbmParameter> = {};
  for (const raw of lines.slice(start + 1)) {
    const line = raw.trim();
    const region = /^#pragma region (.+)$/.exec(line);
    if (region) {
      regions.push(region[1]);
      continue;
    }
    if (line === '#pragma endregion') {
      regions.pop();
      if (regions.length === 0) break;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (line.startsWith('//')) {
      comments.push(line.replace(/^\/\/\s?/, ''));
      continue;
    }
    const decl = /^([\w:]+(?:<[\w:<>, ]+>)?)\s+(\w+)(?:\s*=.*)?;$/.exec(line);
    if (decl) {
      const values = (key: string): string[] =>
        comments.filter((c) => c.startsWith(`${key} = `)).map((c) => c.slice(key.length + 3).trim());
      const group = GROUPS[regions[regions.length - 1]];
      if (!group) throw new Error(`config.h: parameter ${decl[2]} in unknown region ${regions[regions.length - 1]}`);
      const type = typeOf(values('type')[0], decl[1]);
      const param: LightgbmParameter = { group, type, aliases: list(values('alias')[0]) };
      const checks = values('check').map((c) => c.replace(/\s+/g, ''));
      if (checks.length) param.checks = checks;
      if (type === 'enum') {
        // Option aliases are only written in the descriptions: "``gbdt``, traditional …, aliases: ``gbrt``".
        const options: Record<string, string[]> = {};
        for (const o of list(values('options')[0])) options[o] = [];
        for (const d of values('desc')) {
          const m = /^``(\w+)``.*aliases: ((?:``\w+``(?:, )?)+)/.exec(d);
          if (m && options[m[1]]) options[m[1]] = [...m[2].matchAll(/``(\w+)``/g)].map((a) => a[1]);
        }
        param.options = options;
      }
      out[decl[2]] = param;
    }
    comments = [];
  }
  return out;
}
