import { readFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { inputError, BullpenError } from '../../shared/errors';
import { writeAtomically } from '../../engine/files/atomicWrite';
import { validateJob } from '../../engine/validation/validateModel';
import type { validationOps } from '../contract/ops/validation';
import type { HandlersFor } from './handler';

export const validationHandlers: HandlersFor<keyof typeof validationOps> = {
  'ml.validate': async (raw, engine, caller) => {
    // Paths are settled for this caller before the job starts; the job then only uses the checked ones.
    const input = {
      ...raw,
      ...(raw.policy !== undefined ? { policy: engine.files.readable(raw.policy, caller, '--policy') } : {}),
      ...(raw.out !== undefined ? { out: engine.files.writable(raw.out, caller, '--out') } : {}),
    };
    return engine.startJob(validateJob, input);
  },
  'ml.validations.list': async (input, engine) => engine.validations.list(input),
  'ml.validations.show': async (input, engine) => engine.validations.show(input),
  'ml.validations.html': async (input, engine, caller) => {
    const out = input.out !== undefined ? engine.files.writable(input.out, caller, '--out') : null;
    const page = await engine.validations.html(input);
    if (!out) return { runId: page.runId, html: page.html, out: null };
    await writeAtomically(out, (temp) => writeFileSync(temp, page.html), { workspacePath: engine.workspace.path });
    return { runId: page.runId, html: null, out };
  },
  'ml.policy.get': async (_input, engine) => engine.validations.policy(),
  'ml.policy.set': async (input, engine, caller) => {
    const given = [input.text !== undefined, input.file !== undefined, input.reset].filter(Boolean).length;
    if (given !== 1) throw new BullpenError('usage', 'POLICY_SET_ONE_SOURCE', 'give exactly one of --file FILE, --text YAML or --reset');
    if (input.reset) return engine.validations.resetPolicy();
    if (input.file !== undefined) {
      const file = engine.files.readable(input.file, caller, '--file');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw inputError('POLICY_UNREADABLE', `cannot read policy file ${file}: ${(err as Error).message}`, { file });
      }
      return engine.validations.setPolicy(text, file);
    }
    return engine.validations.setPolicy(input.text ?? '', 'the policy text');
  },
  'ml.promotion.check': async (input, engine) => ({
    model: input.model,
    stage: input.stage,
    ...(await engine.validations.promotion(input.model, input.stage)),
  }),
};
