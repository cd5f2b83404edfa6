import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipcChannels';

// Runs sandboxed with context isolation: the page gets exactly `window.bullpen = { call, onEvent }`,
// two narrow functions, never ipcRenderer itself (which would let a compromised page send anything).
// Payload types are the main process's business: it validates the sender and the engine validates
// every input against the contract, so nothing here trusts or parses the page's values.

type EventCallback = (event: unknown) => void;

contextBridge.exposeInMainWorld('bullpen', {
  call: (op: unknown, input: unknown): Promise<unknown> => {
    if (typeof op !== 'string') return Promise.reject(new TypeError('bullpen.call: op must be a string'));
    return ipcRenderer.invoke(CALL_CHANNEL, op, input);
  },
  onEvent: (cb: EventCallback): (() => void) => {
    if (typeof cb !== 'function') throw new TypeError('bullpen.onEvent: callback must be a function');
    const listener = (_event: IpcRendererEvent, payload: unknown) => cb(payload);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
});
