import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { defaultValidationPolicy } from '../../../src-main/shared/validationPolicy';
import { closestKey, parseValidationPolicy, policyFromObject, policyToYaml } from '../../../src-main/engine/validation/policyFile';

/** The error a call throws, failing the test when it does not throw one. */
function refusal(run: () => unknown): BullpenError {
  try {
    run();
  } catch (err) {
    if (err instanceof BullpenError) return err;
    throw err;
  }
  throw new Error('expected the policy to be refused');
}

describe('validation policy files', () => {
  it('refuses a typo in a gate name with the key path and "did you mean", as bad input (exit 3)', () => {
    const err = refusal(() => parseValidationPolicy('gates:\n  acuracy:\n    min: 0.58\n', 'team-policy.yaml'));
    expect(err.kind).toBe('input');
    expect(err.code).toBe('POLICY_INVALID');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(
      'invalid validation policy in team-policy.yaml: `gates.acuracy` is not a policy key: did you mean `accuracy`?',
    );
    expect(err.details).toMatchObject({ source: 'team-policy.yaml', path: 'gates.acuracy' });
  });

  it('suggests the gate an unknown name is part of, and lists the gates when nothing is close', () => {
    const near = refusal(() => parseValidationPolicy('{"gates": {"drawdown": {"max": 0.2}}}', 'p.json'));
    expect(near.message).toContain('`gates.drawdown` is not a policy key: did you mean `maxDrawdown`?');
    const far = refusal(() => parseValidationPolicy('gates:\n  profitFactor: {min: 1.2}\n', 'p.yaml'));
    expect(far.message).not.toContain('did you mean');
    expect(far.message).toContain('`gates.profitFactor` is not a policy key (allowed under gates: accuracy, roi, maxDrawdown');
  });

  it('names nested keys, wrong types, out-of-range numbers and mistyped choices', () => {
    const nested = refusal(() => parseValidationPolicy('staking:\n  kelly_fraction: 0.5\n', 'p.yaml'));
    expect(nested.message).toContain('`staking.kelly_fraction` is not a policy key: did you mean `kellyFraction`?');
    const inGate = refusal(() => parseValidationPolicy('gates:\n  roi: {minimum: 0.02}\n', 'p.yaml'));
    expect(inGate.message).toContain('`gates.roi.minimum` is not a policy key: did you mean `min`?');
    const type = refusal(() => parseValidationPolicy('gates:\n  roi: {min: "3%"}\n', 'p.yaml'));
    expect(type.message).toContain('`gates.roi.min`: expected number, received string');
    const range = refusal(() => parseValidationPolicy('gates:\n  maxDrawdown: {max: 25}\n', 'p.yaml'));
    expect(range.message).toContain('`gates.maxDrawdown.max`');
    expect(range.details).toMatchObject({ path: 'gates.maxDrawdown.max' });
    const choice = refusal(() => parseValidationPolicy('odds: closing\n', 'p.yaml'));
    expect(choice.message).toContain('`odds` must be one of close, open, got "closing": did you mean `close`?');
  });

  it('refuses text that is not YAML or JSON, naming the line, and an empty file', () => {
    const bad = refusal(() => parseValidationPolicy('gates:\n  roi: {min: 0.02\n', 'broken.yaml'));
    expect(bad.code).toBe('POLICY_INVALID');
    expect(bad.message).toMatch(/^invalid validation policy in broken\.yaml: not valid YAML or JSON at line \d+/);
    const dup = refusal(() => parseValidationPolicy('odds: open\nodds: close\n', 'dup.yaml'));
    expect(dup.message).toContain('at line 2');
    expect(refusal(() => parseValidationPolicy('# nothing yet\n', 'empty.yaml')).message).toContain('the policy is empty');
    expect(refusal(() => parseValidationPolicy('- roi\n- accuracy\n', 'list.yaml')).message).toContain(
      'the top level: expected object, received array',
    );
  });

  it('fills defaults around what the file sets, and keeps enabled: false', () => {
    const p = parseValidationPolicy('gates:\n  roi: {min: 0.01}\n  accuracy: {enabled: false}\nodds: open\n', 'p.yaml');
    expect(p.gates.roi).toEqual({ enabled: true, min: 0.01 });
    expect(p.gates.accuracy).toEqual({ enabled: false, min: 0.6, baseline: 0.55 });
    expect(p.odds).toBe('open');
    expect(p.staking).toEqual(defaultValidationPolicy().staking);
  });

  it('gives the same errors for a policy sent as an object', () => {
    const err = refusal(() => policyFromObject({ gates: { acuracy: { min: 0.58 } } }, 'the request'));
    expect(err.message).toBe('invalid validation policy in the request: `gates.acuracy` is not a policy key: did you mean `accuracy`?');
    const top = refusal(() => policyFromObject({ gate: {} }, 'the request'));
    expect(top.message).toContain('`gate` is not a policy key: did you mean `gates`?');
    expect(policyFromObject({}, 'the request')).toEqual(defaultValidationPolicy());
  });

  it('writes a commented YAML that reads back to the same policy', () => {
    const policy = parseValidationPolicy('gates:\n  sharpe: {enabled: false}\nstaking: {strategy: edge, edge: 0.03}\n', 'p.yaml');
    const text = policyToYaml(policy);
    expect(text).toContain('# Accuracy:');
    expect(text).toContain('  sharpe: { enabled: false, min: 0 }');
    expect(parseValidationPolicy(text, 'shown.yaml')).toEqual(policy);
    expect(parseValidationPolicy(policyToYaml(defaultValidationPolicy()), 'default.yaml')).toEqual(defaultValidationPolicy());
  });

  it('suggests only near misses', () => {
    expect(closestKey('acuracy', ['accuracy', 'roi'])).toBe('accuracy');
    expect(closestKey('ROI', ['accuracy', 'roi'])).toBe('roi');
    expect(closestKey('profitFactor', ['accuracy', 'roi', 'sharpe'])).toBeNull();
    expect(closestKey('xyz', ['roi'])).toBeNull();
  });
});
