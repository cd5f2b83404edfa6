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
  /** Bumped on every restart so screens can reload what the old engine process knew. */
  generation = $state(0);

  apply(event: EngineStatusEvent): void {
    this.state = event.status;
    this.message = event.message;
    if (event.status === 'restarted') {
      this.restarts += 1;
      this.lastRestartAt = event.at;
      this.generation += 1;
    }
  }

  /** The engine reports its own restart count in workspace.info; trust the larger of the two. */
  noteInfo(engine: { restarts: number }): void {
    if (engine.restarts > this.restarts) this.restarts = engine.restarts;
    if (this.state === 'unknown') this.state = 'ready';
  }
}
