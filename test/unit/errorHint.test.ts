import { describe, expect, it } from 'vitest';
import { describeError } from '../../src-renderer/src/lib/errorHint';
import { BullpenError, validationError } from '../../src-main/shared/errors';
import { z } from 'zod';

describe('the UI says what to do about an error', () => {
  it('names the field a validation error points at', () => {
    const parsed = z.object({ rounds: z.number().int() }).safeParse({ rounds: 'many' });
    if (parsed.success) throw new Error('the fixture must fail validation');
    const shown = describeError(validationError('jobs.runDemo', parsed.error), 'start the demo job');
    expect(shown.title).toBe('Could not start the demo job');
    expect(shown.hint).toContain('“rounds”');
  });

  it('falls back to the message when the engine did not name a field', () => {
    const shown = describeError(new BullpenError('input', 'BAD_SEASONS', '--seasons 2016-2010 runs backwards'), 'train');
    expect(shown.hint).toMatch(/value the message names/);
    expect(shown.message).toBe('--seasons 2016-2010 runs backwards');
  });

  it('tells a page without its token how to get back in', () => {
    expect(describeError(new BullpenError('usage', 'UNAUTHORIZED', 'missing token'), 'load').hint).toMatch(/#token=/);
  });
});
