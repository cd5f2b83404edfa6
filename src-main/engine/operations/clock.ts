/**
 * Where operations code gets the time: live (wall time) or a replay's (a past season's day). Nothing in
 * deployments, monitoring, alerts or the scheduler calls Date.now() itself, so the same code runs live
 * and replayed.
 */
export interface Clock {
  now(): Date;
  readonly kind: 'live' | 'replay';
}

export const liveClock: Clock = { now: () => new Date(), kind: 'live' };

/** A clock a replay moves forward by hand (each replayed day: before first pitch, then after the games). */
export class ReplayClock implements Clock {
  readonly kind = 'replay';
  private current: Date;
  constructor(start: Date) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    if (to.getTime() < this.current.getTime())
      throw new Error(`a replay clock never goes back (${to.toISOString()} < ${this.current.toISOString()})`);
    this.current = new Date(to);
  }
}
