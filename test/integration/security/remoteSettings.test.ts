import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/handlers';
import { Engine } from '../../../src-main/engine/engine';
import { LOCAL_CALLER, REMOTE_CALLER } from '../../../src-main/shared/caller';
import { tempWorkspace } from '../../support/waitForEvent';

describe('the browser UI of bullpen serve cannot choose where MLflow credentials go', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: Engine;
  beforeAll(async () => {
    tmp = await tempWorkspace();
    engine = await Engine.open({ workspacePath: tmp.path });
  });
  afterAll(async () => {
    await engine.close();
    await tmp.cleanup();
  });

  it('refuses a remote settings.set of the tracking URI and keeps the setting; the local user may change it', async () => {
    const refused = await dispatch(engine, 'settings.set', { mlflow: { trackingUri: 'http://attacker.example:5000' } }, REMOTE_CALLER);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('MLFLOW_TRACKING_URI_REMOTE');
    expect((await engine.settings.get()).mlflow.trackingUri).toBeUndefined();
    // Other settings stay the remote user's to change.
    expect((await dispatch(engine, 'settings.set', { user: 'erin' }, REMOTE_CALLER)).ok).toBe(true);
    const local = await dispatch(engine, 'settings.set', { mlflow: { trackingUri: 'http://127.0.0.1:5500' } }, LOCAL_CALLER);
    expect(local.ok).toBe(true);
    expect((await engine.settings.get()).mlflow.trackingUri).toBe('http://127.0.0.1:5500');
  });
});
