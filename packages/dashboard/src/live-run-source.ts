import type { Subscription } from 'rxjs';
import type { Run } from '@srnn/core';
import type {} from '@srnn/soup';
import { DashboardState } from './dashboard-state';
import type { ControlAction, DashboardSource } from './dashboard-server';

/** What the dashboard always follows: cheap events every run produces anyway. */
const ALWAYS = ['run-started', 'census', 'progress', 'run-finished', 'run-failed'] as const;
/** Detail (PCA, trajectories, interactions per epoch): asked for only while a page is connected. */
const DETAIL = ['interactions', 'snapshot'] as const;

/**
 * A run executing in this process, followed from its events: subscribe before `execute()`.
 * Detail kinds are subscribed to only while at least one page is connected, so that an unwatched
 * run computes no detail for the dashboard (`Run.wants`); what was recorded stays for later pages.
 */
export class LiveRunSource implements DashboardSource {
  readonly run: DashboardState = new DashboardState();
  private detail: Subscription | undefined;

  constructor(private readonly live: Run) {
    live.select(...ALWAYS).subscribe((event) => this.run.apply(event));
  }

  state(id: string): DashboardState | undefined {
    return id === '' ? this.run : undefined;
  }

  control(action: ControlAction): void {
    if (this.run.status !== 'running' && this.run.status !== 'paused') return;
    if (action === 'pause') this.live.pause();
    else if (action === 'resume') this.live.resume();
    else this.live.stop();
    this.run.setStatus(action === 'pause' ? 'paused' : 'running');
  }

  watchers(count: number): void {
    if (count > 0 && !this.detail) this.detail = this.live.select(...DETAIL).subscribe((event) => this.run.apply(event));
    if (count === 0) {
      this.detail?.unsubscribe();
      this.detail = undefined;
    }
  }
}
