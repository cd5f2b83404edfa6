/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { BullpenBridge } from '../../src-main/api/client';

declare global {
  interface Window {
    /** Present only inside the desktop shell, exposed by src-main/electron/preload.ts. */
    bullpen?: BullpenBridge;
  }
}
