import type { BullpenClient } from '../../../src-main/api/client';
import type { EngineStatus } from './engineStatus.svelte';
import type { JobsStore } from './jobs.svelte';

/** What every screen gets: the typed client and the live state fed by engine events. */
export interface AppContext {
  client: BullpenClient;
  jobs: JobsStore;
  engine: EngineStatus;
}

/** Props of every screen component in the registry. */
export interface ScreenProps {
  app: AppContext;
}
