/** The distinct plain ArrayBuffers behind typed arrays, to transfer back (shared buffers are never transferred). */
export function transferables(...views: { buffer: ArrayBufferLike }[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength > 0) out.add(v.buffer);
  return [...out];
}
