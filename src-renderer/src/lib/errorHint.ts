import { BullpenError } from '../../../src-main/shared/errors';

/** An error as the UI shows it: what failed, the engine's message, and what the user can do about it. */
export interface ShownError {
  title: string;
  message: string;
  hint: string;
  code: string;
}

const AUTH_CODES = new Set(['UNAUTHORIZED', 'TOKEN_REQUIRED', 'TOKEN_INVALID', 'FORBIDDEN', 'BAD_TOKEN', 'MISSING_TOKEN']);

/** Names the offending field when the engine said which one (validation errors carry their issues). */
function inputHint(err: BullpenError): string {
  const issues = err.details?.issues;
  const first = Array.isArray(issues) ? (issues[0] as { path?: unknown } | undefined) : undefined;
  const path = Array.isArray(first?.path) ? first.path.join('.') : '';
  return path ? `Correct the value of “${path}” and try again.` : 'Correct the value the message names and try again.';
}

/** The way out for each kind of failure, so no error leaves the user guessing (docs/CONVENTIONS.md, Errors). */
function hintFor(err: BullpenError): string {
  if (AUTH_CODES.has(err.code)) {
    return 'This page lost its access token. Open the full address printed by `bullpen serve` (it ends in #token=…).';
  }
  if (err.code === 'SERVER_UNREACHABLE' || err.code === 'BAD_RESPONSE') {
    return 'The Bullpen engine is not reachable. Check that `bullpen serve` (or the desktop app) is still running, then reload this page.';
  }
  if (err.code === 'ENGINE_RESTARTING' || err.code === 'ENGINE_UNAVAILABLE') {
    return 'The engine is restarting after a crash. Wait a moment and try again.';
  }
  switch (err.kind) {
    case 'input':
    case 'usage':
      return inputHint(err);
    case 'notFound':
      return 'It may have been removed meanwhile: refresh the list.';
    case 'conflict':
    case 'negative':
      return 'Refresh to see the current state, then try again.';
    case 'cancelled':
      return 'The work was cancelled; start it again when you are ready.';
    case 'external':
      return 'An outside system did not answer. Check the connection or its settings and retry.';
    case 'internal':
      return 'This is a bug in Bullpen. Retry once; if it happens again, restart the app and report the message.';
  }
}

/** Turns anything thrown by a call into a ShownError; network failures get their own advice. */
export function describeError(err: unknown, during: string): ShownError {
  if (err instanceof BullpenError) {
    return { title: `Could not ${during}`, message: err.message, hint: hintFor(err), code: err.code };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    title: `Could not ${during}`,
    message,
    hint: 'The Bullpen engine is not reachable. Check that `bullpen serve` (or the desktop app) is still running, then reload this page.',
    code: 'UNREACHABLE',
  };
}
