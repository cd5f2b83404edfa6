/**
 * What long compute needs from whoever runs it, called between native calls only: `throwIfCancelled`
 * stops the work by throwing, `progress` reports how far it got. A worker's task context is one; a test
 * or a benchmark on the main thread can pass a plain object.
 */
export interface Steps {
  throwIfCancelled(): void;
  progress(fraction: number, message?: string): void;
}
