import { z } from 'zod';
import type { TaskResult } from '../protocol';
import { defineTask } from './defineTask';

/** FNV-1a 32-bit constants. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export const checksumPayloadSchema = z.object({
  values: z.instanceof(Float64Array),
  chunks: z.number().int().min(1),
  /** Pause after each chunk so a demo shows progress and cancellation; 0 in real use. */
  pauseMs: z.number().int().min(0).default(0),
});
export type ChecksumPayload = z.input<typeof checksumPayloadSchema>;

export interface ChecksumResult {
  /** FNV-1a over the bytes of `values`. */
  checksum: number;
  sum: number;
  /** Sum of each chunk; transferred back, not copied. */
  chunkSums: Float64Array;
}

/**
 * The demo compute task: hashes a transferred Float64Array chunk by chunk, reporting progress and
 * checking for cancellation between chunks, the way training reports between boosting iterations.
 */
export const checksum = defineTask(checksumPayloadSchema, ({ values, chunks, pauseMs }, ctx): TaskResult<ChecksumResult> => {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const chunkSums = new Float64Array(chunks);
  const per = Math.ceil(values.length / chunks);
  let hash = FNV_OFFSET;
  let sum = 0;
  for (let c = 0; c < chunks; c++) {
    ctx.throwIfCancelled();
    const from = Math.min(values.length, c * per);
    const to = Math.min(values.length, from + per);
    let s = 0;
    for (let i = from; i < to; i++) s += values[i];
    for (let b = from * 8; b < to * 8; b++) hash = Math.imul(hash ^ bytes[b], FNV_PRIME) >>> 0;
    chunkSums[c] = s;
    sum += s;
    ctx.progress((c + 1) / chunks, `chunk ${c + 1}/${chunks}`);
    ctx.pause(pauseMs);
  }
  ctx.throwIfCancelled();
  return { value: { checksum: hash >>> 0, sum, chunkSums }, transfer: [chunkSums.buffer] };
});
