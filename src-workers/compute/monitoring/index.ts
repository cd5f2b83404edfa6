/** Drift, performance and data-quality monitors: pure statistics over a reference and a current window. */
export * from './columns';
export * from './monitor';
export * from './psi';
export * from './ks';
export { kolmogorovSf, smirnovSf, probOutsideBand, probOutsideSquare } from './kolmogorov';
export * from './wasserstein';
export * from './jensenShannon';
export * from './featureDrift';
export * from './predictionDrift';
export * from './performanceDrift';
export * from './cbpe';
export * from './dataQuality';
export * from './driftScore';
