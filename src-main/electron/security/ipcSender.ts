import { isAppUrl } from './appOrigin';

/** The parts of an IPC event's sender frame we look at (Electron's WebFrameMain has them). */
export interface SenderFrameLike {
  url: string;
  /** A subframe (iframe) never gets engine access, even one that somehow loaded our origin. */
  parent: unknown;
}

/**
 * Electron security checklist, item "validate the sender of all IPC messages": only the top frame of
 * a page served from app://bullpen may call the engine. A destroyed frame (null) is refused too.
 */
export function isTrustedSender(frame: SenderFrameLike | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
