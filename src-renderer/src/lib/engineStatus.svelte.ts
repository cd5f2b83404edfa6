import type { EngineEvent } from '../../../src-main/shared/events';

type EngineStatusEvent = Extract<EngineEvent, { type: 'engine' }>;
export type EngineState = EngineStatusEvent['status'] | 'unknown';

/**
 * What the status indicator shows. A restart is kept visible after the engine is ready again: the
 * user must learn that running jobs were interrupted, not just see a green light.
 */
export class EngineStatus {
  state = $state<EngineState>('unknown');
  message = $state('');
  restarts = $state(0);
  lastRestartAt = $state<string | null>(null);
  /** Not reactive on purpose: listeners are plumbing, not state a screen shows. */
  #restartListeners: (() => void)[] = [];

  apply(event: EngineStatusEvent): void {
    this.state = event.status;
    this.message = event.message;
    if (event.status === 'restarted') {
      this.restarts += 1;
      this.lastRestartAt = event.at;
      for (const listener of this.#restartListeners) listener();
    }
  }

  /** Domain services read again what the old engine process told them (its jobs may now be `interrupted`). */
  onRestarted(listener: () => void): () => void {
    this.#restartListeners.push(listener);
    return () => {
      this.#restartListeners = this.#restartListeners.filter((l) => l !== listener);
    };
  }

  /** The engine reports its own restart count in workspace.info; trust the larger of the two. */
  noteInfo(engine: { restarts: number }): void {
    if (engine.restarts > this.restarts) this.restarts = engine.restarts;
    if (this.state === 'unknown') this.state = 'ready';
  }
}
