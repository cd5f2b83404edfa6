import type { Component } from 'svelte';
import type { ScreenProps } from '../lib/appContext';

export interface ScreenDef {
  /** Used in the address (`#/workspace`) and in data-testid="nav-<id>". */
  id: string;
  title: string;
  /** Loaded on first visit, so a heavy screen (charts) costs nothing until it is opened. */
  load: () => Promise<{ default: Component<ScreenProps> }>;
}

/**
 * The left navigation, in order. Adding a screen: write screens/<Name>Screen.svelte (it receives
 * `{ app }`: the client, jobs and engine status) and add one line here.
 */
export const screens: ScreenDef[] = [
  { id: 'workspace', title: 'Workspace', load: () => import('./WorkspaceScreen.svelte') },
  { id: 'data', title: 'Data', load: () => import('./Data.svelte') },
  { id: 'features', title: 'Features', load: () => import('./Features.svelte') },
  { id: 'experiments', title: 'Experiments', load: () => import('./Experiments.svelte') },
  { id: 'backtests', title: 'Backtests', load: () => import('./Backtests.svelte') },
];

export const defaultScreenId = 'workspace';

/** The screen named by the address (`#/data`), or the default one. */
export function screenFromHash(hash: string): ScreenDef {
  const id = hash.replace(/^#\/?/, '');
  return screens.find((s) => s.id === id) ?? screens.find((s) => s.id === defaultScreenId) ?? screens[0];
}
