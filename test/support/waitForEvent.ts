import type { EngineEvent } from '../../src-main/shared/events';

type Subscribe = (cb: (event: EngineEvent) => void) => () => void;

/** Resolves with the first event matching `predicate`; tests wait on events, never on the clock. */
export function waitForEvent<E extends EngineEvent = EngineEvent>(
  subscribe: Subscribe,
  predicate: (e: EngineEvent) => boolean,
): Promise<E> {
  return new Promise((resolve) => {
    const off = subscribe((e) => {
      if (predicate(e)) {
        off();
        resolve(e as E);
      }
    });
  });
}

/** A temporary workspace path inside a fresh directory. */
export async function tempWorkspace(): Promise<{ path: string; dir: string; cleanup: () => Promise<void> }> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'bullpen-test-'));
  return { dir, path: join(dir, 'workspace.duckdb'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
