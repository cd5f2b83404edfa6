import type { Component } from 'svelte';
import type { ScreenProps } from '../lib/appContext';

export interface ScreenDef {
  /** Used in the address (`#/workspace`) and in data-testid="nav-<id>". */
  id: string;
  title: string;
  /** One line under the title saying what the screen is for. */
  subtitle: string;
  /** Loaded on first visit, so a heavy screen (charts) costs nothing until it is opened. */
  load: () => Promise<{ default: Component<ScreenProps> }>;
}

/**
 * The left navigation, in order. Adding a screen: write screens/<Name>Screen.svelte (every screen file
 * is named so; it receives `{ app }`, the domain services, and starts with a ScreenHeader) and add one
 * line here.
 */
export const screens: ScreenDef[] = [
  {
    id: 'workspace',
    title: 'Workspace',
    subtitle: 'The DuckDB file this engine works on, its schema and its jobs.',
    load: () => import('./WorkspaceScreen.svelte'),
  },
  {
    id: 'data',
    title: 'Data',
    subtitle: 'Games, odds and teams in this workspace: what is loaded, how complete it is, and imports.',
    load: () => import('./DataScreen.svelte'),
  },
  {
    id: 'features',
    title: 'Features',
    subtitle: "Point-in-time features: the catalog, each feature's versions, lineage and quality, and materialized sets.",
    load: () => import('./FeaturesScreen.svelte'),
  },
  {
    id: 'experiments',
    title: 'Experiments',
    subtitle: 'Runs of training, cross-validation and backtests: start them, search and compare them, score games with a model.',
    load: () => import('./ExperimentsScreen.svelte'),
  },
  {
    id: 'sweeps',
    title: 'Sweeps',
    subtitle: 'Hyperparameter sweeps of LightGBM (TPE, random, grid): start one, watch its trials live, train its best parameters.',
    load: () => import('./SweepsScreen.svelte'),
  },
  {
    id: 'backtests',
    title: 'Backtests',
    subtitle: "Bet a model or a CV run's out-of-fold predictions beside the rule-based baselines, on the same games.",
    load: () => import('./BacktestsScreen.svelte'),
  },
  {
    id: 'validation',
    title: 'Validation',
    subtitle: 'Gates a model must pass before promotion: run them, read the verdicts and the report, edit the policy.',
    load: () => import('./ValidationScreen.svelte'),
  },
  {
    id: 'registry',
    title: 'Registry',
    subtitle: 'Model versions and their stages: approvals and the gates before staging and production, rollback, and the audit trail.',
    load: () => import('./RegistryScreen.svelte'),
  },
  {
    id: 'monitoring',
    title: 'Monitoring',
    subtitle:
      'Deployed models: drift of their features and predictions, realized and estimated performance, data quality, alerts; and replays of past seasons.',
    load: () => import('./MonitoringScreen.svelte'),
  },
  {
    id: 'ab',
    title: 'A/B tests',
    subtitle:
      'Experiments between a deployment’s model and a challenger: per-variant metrics, sequential and Bayesian analyses, sample ratio, canary ramp; stop, promote, roll back.',
    load: () => import('./AbTestsScreen.svelte'),
  },
];

export const defaultScreenId = 'workspace';

/** A screen by its registry id (each screen component names its own). */
export function screenById(id: string): ScreenDef {
  const def = screens.find((s) => s.id === id);
  if (!def) throw new Error(`screen ${id} is not in the registry (screens/index.ts)`);
  return def;
}

/** The screen named by the address (`#/data`), or the default one. */
export function screenFromHash(hash: string): ScreenDef {
  const id = hash.replace(/^#\/?/, '');
  return screens.find((s) => s.id === id) ?? screens.find((s) => s.id === defaultScreenId) ?? screens[0];
}
