import type { Contract, OutputOf } from '../../../../src-main/api/contract';
import { DomainService, type ServiceDeps } from '../domainService.svelte';

export type WorkspaceInfo = OutputOf<Contract['workspace.info']>;

/** The open workspace: its file, schema and table counts, and the demo job that exercises the job system. */
export class WorkspaceService extends DomainService {
  readonly info = this.query('load the workspace', async () => {
    const info = await this.client.call('workspace.info', {});
    this.deps.engine.noteInfo(info.engine);
    return info;
  });

  /** The recent jobs, read into the jobs store (the list itself lives there, shared by every screen). */
  readonly jobList = this.recentJobs();

  readonly demoJob = this.launch('jobs.runDemo');

  constructor(deps: ServiceDeps) {
    super(deps);
    // Any job that completes may have written rows: the table counts are read again.
    this.refreshAfter((job) => job.state === 'completed', this.info);
  }

  /** Both reads answered: the screen's `data-loaded`. */
  get ready(): boolean {
    return this.info.ready && this.jobList.ready;
  }

  /** Opening the screen: the workspace and the recent jobs, read again. */
  async open(): Promise<void> {
    await Promise.all([this.info.refresh(), this.jobList.refresh()]);
  }

  runDemo(rounds: number, stepDelayMs: number): void {
    void this.demoJob.start('start the demo job', () => this.client.call('jobs.runDemo', { rounds, stepDelayMs }));
  }
}
