import { BrowserWindow, ipcMain } from 'electron';
import type { CallResult, Transport } from '../api/client/transport';
import type { EngineEvent } from '../shared/events';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipcChannels';
import { isAppUrl } from './security/appOrigin';
import { isTrustedSender } from './security/ipcSender';

/** Longest op name we forward; real ones are like `jobs.runDemo`. */
const MAX_OP_NAME_LENGTH = 128;

const refusal = (code: string, message: string): CallResult => ({ ok: false, error: { code, kind: 'usage', message } });

/**
 * Connects the window to the engine: `bullpen:call` invocations go to the engine process (which
 * validates every input against the contract), engine events go to every window showing our app.
 * Every call is checked to come from the top frame of app://bullpen (Electron checklist item 17).
 */
export function installIpcBridge(engine: Transport): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, op: unknown, input: unknown): Promise<CallResult> => {
    if (!isTrustedSender(event.senderFrame)) {
      console.warn(`bullpen: refused an IPC call from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return refusal('FORBIDDEN_SENDER', 'this frame may not call the Bullpen engine');
    }
    if (typeof op !== 'string' || op.length === 0 || op.length > MAX_OP_NAME_LENGTH) {
      return refusal('INVALID_OP', 'the operation name must be a non-empty string');
    }
    return engine.call(op, input);
  });

  const stopEvents = engine.onEvent((event: EngineEvent) => {
    for (const win of BrowserWindow.getAllWindows()) {
      const contents = win.webContents;
      if (win.isDestroyed() || contents.isDestroyed() || !isAppUrl(contents.getURL())) continue;
      contents.send(EVENT_CHANNEL, event);
    }
  });

  return () => {
    stopEvents();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
