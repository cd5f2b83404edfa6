// Loads build/Release/lightgbm.node and types its surface. The path is resolved from the package root,
// which is one level above both src/ (vitest, tsx) and dist/ (the built app), and redirected out of
// app.asar because native modules must be unpacked to be loaded.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';

export type FloatMatrix = Float64Array | Float32Array;

export interface NativeDataset {
  free(): void;
  isFreed(): boolean;
  numData(): number;
  numFeature(): number;
  featureNames(): string[];
  setFeatureNames(names: string[]): void;
  setField(name: string, values: Float64Array): void;
  getField(name: string): Float64Array | null;
  subset(rowIndices: Int32Array, params: string): NativeDataset;
  featureNumBin(feature: number): number;
}

export interface NativeDatasetClass {
  fromMat(data: FloatMatrix, rows: number, cols: number, rowMajor: boolean, params: string, reference: NativeDataset | null): NativeDataset;
}

export interface NativeBooster {
  free(): void;
  isFreed(): boolean;
  addValidData(dataset: NativeDataset): void;
  resetParameter(params: string): void;
  updateOneIter(): boolean;
  rollbackOneIter(): void;
  currentIteration(): number;
  numClasses(): number;
  numFeature(): number;
  numModelPerIteration(): number;
  numTotalModel(): number;
  evalNames(): string[];
  featureNames(): string[];
  eval(dataIndex: number): Float64Array;
  predict(
    data: FloatMatrix,
    rows: number,
    cols: number,
    rowMajor: boolean,
    predictType: number,
    startIteration: number,
    numIteration: number,
    params: string,
  ): Float64Array;
  featureImportance(numIteration: number, importanceType: number): Float64Array;
  saveModelToString(startIteration: number, numIteration: number, importanceType: number): string;
  saveModel(path: string, startIteration: number, numIteration: number, importanceType: number): void;
  dumpModel(startIteration: number, numIteration: number, importanceType: number): string;
  loadedParams(): string;
}

export interface NativeBoosterClass {
  create(trainSet: NativeDataset, params: string): NativeBooster;
  fromModelString(model: string): NativeBooster;
  fromModelFile(path: string): NativeBooster;
}

export interface NativeModule {
  Dataset: NativeDatasetClass;
  Booster: NativeBoosterClass;
  setMaxThreads(maxThreads: number): void;
  getMaxThreads(): number;
  /** null when the new parameters can reuse a dataset built with the old ones, else LightGBM's reason. */
  datasetUpdateParamChecking(oldParams: string, newParams: string): string | null;
  dumpParamAliases(): string;
}

const packageRoot = resolve(__dirname, '..');

/** Where the addon is loaded from; BULLPEN_LIGHTGBM_ADDON overrides it for packaged apps. */
export function addonPath(): string {
  const configured = process.env.BULLPEN_LIGHTGBM_ADDON;
  if (configured) return configured;
  const built = join(packageRoot, 'build', 'Release', 'lightgbm.node');
  const asar = `${sep}app.asar${sep}`;
  if (built.includes(asar)) {
    const unpacked = built.replace(asar, `${sep}app.asar.unpacked${sep}`);
    if (existsSync(unpacked)) return unpacked;
  }
  return built;
}

let loaded: NativeModule | undefined;

/** The addon for this thread's environment (each worker thread gets its own instance data). */
export function native(): NativeModule {
  if (loaded) return loaded;
  const path = addonPath();
  if (!existsSync(path)) {
    throw new Error(
      `The LightGBM addon is not built (${path} is missing). Run \`npm run build -w @bullpen/lightgbm\` ` +
        '(needs cmake, a C++17 compiler and OpenMP).',
    );
  }
  const requireNative = createRequire(join(packageRoot, 'package.json'));
  loaded = requireNative(path) as NativeModule;
  return loaded;
}
