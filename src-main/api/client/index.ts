// Browser-safe: nothing here imports Node. The renderer, the CLI and tests all use it.
export { createClient, type BullpenClient } from './createClient';
export { httpTransport, type HttpTransportOptions } from './httpTransport';
export { ipcTransport } from './ipcTransport';
export type { Transport, CallResult, BullpenBridge } from './transport';
