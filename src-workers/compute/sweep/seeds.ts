/**
 * Seeds for samplers. A trial's random stream depends only on the sweep's seed and the trial's number,
 * so a trial draws the same numbers whichever worker asks for it and whenever.
 */

const GOLDEN = 0x9e3779b9;
const TWO_POW_32 = 2 ** 32;

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers in which every input bit flips about half the output bits. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Folds a seed of any safe-integer size (negative too) into 32 bits without dropping its high bits. */
function fold(seed: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  return mix32(low ^ mix32(high + GOLDEN));
}

/** The seed of trial `trialNumber`'s random stream (an unsigned 32-bit integer for createRng). */
export function trialSeed(seed: number, trialNumber: number): number {
  return mix32(fold(seed) + Math.imul(fold(trialNumber) ^ 0x5bd1e995, GOLDEN));
}

/** A seed for a purpose other than a trial's stream (`salt` names the purpose), e.g. the grid's visiting order. */
export function purposeSeed(seed: number, salt: number): number {
  return mix32(fold(seed) ^ mix32(salt + 0x27d4eb2f));
}
