import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BullpenError, errorBodySchema, toBullpenError, validationError } from '../../../src-main/shared/errors';

describe('BullpenError', () => {
  it('maps kinds to the exit statuses of docs/CONVENTIONS.md and HTTP statuses', () => {
    const cases: [BullpenError['kind'], number, number][] = [
      ['negative', 1, 409],
      ['usage', 2, 400],
      ['input', 3, 400],
      ['notFound', 3, 404],
      ['external', 4, 502],
      ['internal', 5, 500],
    ];
    for (const [kind, exit, http] of cases) {
      const e = new BullpenError(kind, 'X', 'm');
      expect([e.exitCode, e.httpStatus], kind).toEqual([exit, http]);
    }
  });

  it('survives a trip through its JSON body unchanged', () => {
    const e = new BullpenError('input', 'BAD_FILE', 'GL2019.TXT line 3: field 4 is empty', { line: 3 });
    const body = JSON.parse(JSON.stringify(e.toBody())) as unknown;
    expect(errorBodySchema.parse(body)).toEqual(e.toBody());
    const back = BullpenError.fromBody(errorBodySchema.parse(body));
    expect([back.kind, back.code, back.message, back.details]).toEqual([e.kind, e.code, e.message, e.details]);
  });

  it('names the offending field when zod validation fails', () => {
    const r = z.object({ limit: z.number() }).safeParse({ limit: 'x' });
    expect(r.success).toBe(false);
    if (r.success) return;
    const e = validationError('jobs.list', r.error);
    expect(e.kind).toBe('input');
    expect(e.message).toMatch(/^invalid input for jobs\.list: limit: /);
  });

  it('turns unknown throwables into internal errors that keep their message', () => {
    const e = toBullpenError(new TypeError('boom'));
    expect([e.kind, e.message]).toEqual(['internal', 'boom']);
  });
});
