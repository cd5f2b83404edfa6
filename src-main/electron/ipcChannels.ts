/** The only two IPC channels between the window and the main process (see the IPC contract). */
export const CALL_CHANNEL = 'bullpen:call';
export const EVENT_CHANNEL = 'bullpen:event';
