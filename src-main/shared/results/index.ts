/** Typed results end to end: job results and run artifacts, one schema each, shared by every layer. */
export * from './numbers';
export * from './metrics';
export * from './cv';
export * from './backtest';
export * from './artifacts';
export * from './jobResults';
export * from './validation';
export * from './export';
export * from './sweep';
export * from './operations';
export * from './retraining';
export * from './experiments';
