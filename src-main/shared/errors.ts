import { z } from 'zod';

/**
 * The kinds of failure users meet (docs/CONVENTIONS.md, Errors). Each maps to one CLI exit status and one
 * HTTP status, so every transport reports the same failure the same way.
 */
export const errorKinds = ['negative', 'usage', 'input', 'external', 'internal', 'notFound', 'conflict', 'cancelled'] as const;
export type ErrorKind = (typeof errorKinds)[number];

const exitCodes: Record<ErrorKind, number> = {
  negative: 1, // the operation ran and its answer is negative (a gate blocked it)
  usage: 2,
  input: 3,
  notFound: 3,
  conflict: 3,
  cancelled: 1,
  external: 4,
  internal: 5,
};

const httpStatuses: Record<ErrorKind, number> = {
  negative: 409,
  usage: 400,
  input: 400,
  notFound: 404,
  conflict: 409,
  cancelled: 409,
  external: 502,
  internal: 500,
};

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    kind: z.enum(errorKinds),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The one error type that crosses every boundary; `code` is stable, `message` names the thing and the way out. */
export class BullpenError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'BullpenError';
  }

  get exitCode(): number {
    return exitCodes[this.kind];
  }

  get httpStatus(): number {
    return httpStatuses[this.kind];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, kind: this.kind, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }

  static fromBody(body: ErrorBody): BullpenError {
    return new BullpenError(body.error.kind, body.error.code, body.error.message, body.error.details);
  }
}

export const inputError = (code: string, message: string, details?: Record<string, unknown>) =>
  new BullpenError('input', code, message, details);
export const notFoundError = (code: string, message: string, details?: Record<string, unknown>) =>
  new BullpenError('notFound', code, message, details);

/** Turns a zod failure into an input error whose message names the offending field. */
export function validationError(opName: string, err: z.ZodError): BullpenError {
  const first = err.issues[0];
  const field = first && first.path.length ? first.path.join('.') : '(input)';
  const message = `invalid input for ${opName}: ${field}: ${first?.message ?? 'invalid'}`;
  return new BullpenError('input', 'INVALID_INPUT', message, {
    op: opName,
    issues: err.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

/** Normalizes anything thrown into a BullpenError without hiding the original message. */
export function toBullpenError(err: unknown): BullpenError {
  if (err instanceof BullpenError) return err;
  if (err instanceof z.ZodError) return validationError('operation', err);
  const message = err instanceof Error ? err.message : String(err);
  return new BullpenError('internal', 'INTERNAL', message);
}
