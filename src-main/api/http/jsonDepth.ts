/**
 * Op inputs are shallow documents, but JSON.parse accepts any nesting, and what handles the parsed
 * value next (structured cloning to the engine process, JSON.stringify, validation) recurses and
 * overflows the stack near 10,000 levels: a 5xx from a few hundred bytes of `[`. The depth is
 * therefore checked on the text, by a loop that cannot overflow, before anything parses it.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * True when arrays and objects in `text` nest deeper than `limit`. Brackets inside strings do not count.
 * On text that is not JSON the count may be off, but such text is refused by the parser anyway.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
