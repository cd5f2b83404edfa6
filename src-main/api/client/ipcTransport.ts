import type { BullpenBridge, Transport } from './transport';

/** The desktop transport: the preload bridge already speaks the transport's shape. */
export function ipcTransport(bridge: BullpenBridge): Transport {
  return {
    call: (op, input) => bridge.call(op, input),
    onEvent: (cb) => bridge.onEvent(cb),
  };
}
