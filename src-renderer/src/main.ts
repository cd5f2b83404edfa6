// First: zod must be jitless before any schema is built (see lib/zodJitless.ts). Everything else is
// loaded after it, by a dynamic import: a static import would let the bundler run a shared chunk that
// builds schemas (the contract, the vocabulary) before this module's body.
import './lib/zodJitless';

void import('./mountApp');
