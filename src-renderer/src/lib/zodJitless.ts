import { config } from 'zod';

// zod compiles object parsers with `new Function` unless told not to, and decides when each schema is
// built. The window's CSP forbids eval (the probe alone is reported as a violation), so this module is
// imported first in main.ts, before any module that builds a schema. Interpreted parsing is plenty fast
// for API payloads.
config({ jitless: true });
