// Dataset: LightGBM's binned training data, built from a dense matrix (Python's lgb.Dataset).
import { native, type FloatMatrix, type NativeDataset } from './native';
import { assertParams, renderParams, type Params } from './params';

export interface DatasetOptions {
  rows: number;
  cols: number;
  /** true when data holds row after row (the default), false for column after column. */
  rowMajor?: boolean;
  label: ArrayLike<number>;
  weight?: ArrayLike<number>;
  initScore?: ArrayLike<number>;
  featureNames?: readonly string[];
  /** Column indices or feature names of categorical features (non-negative integer codes). */
  categoricalFeatures?: readonly (number | string)[];
  params?: Params;
  /** Validation data reuses the training set's bin boundaries. */
  reference?: Dataset;
}

/** Where a native handle is freed when the JS object is collected without free(). */
const finalizers = new FinalizationRegistry<NativeDataset>((handle) => handle.free());

// LightGBM stores NaN labels and weights without complaint and then trains on garbage.
function toFiniteFloat64(values: ArrayLike<number>, what: string, expected: number): Float64Array {
  if (values.length !== expected) throw new RangeError(`${what} has ${values.length} values, expected ${expected}`);
  const out = values instanceof Float64Array ? values : Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new RangeError(`${what}[${i}] is ${out[i]}; labels and weights must be finite`);
  }
  return out;
}

export function assertMatrix(data: unknown, rows: number, cols: number): asserts data is FloatMatrix {
  if (!(data instanceof Float64Array) && !(data instanceof Float32Array)) {
    throw new TypeError('data must be a Float64Array or Float32Array');
  }
  if (!Number.isInteger(rows) || rows <= 0 || !Number.isInteger(cols) || cols <= 0) {
    throw new RangeError(`rows and cols must be positive integers, got ${rows} × ${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`data has ${data.length} values but rows × cols = ${rows} × ${cols} = ${rows * cols}`);
  }
}

export class Dataset {
  /** The parameters the bins were built with (checkDatasetParams compares against them). */
  readonly params: Params;
  private readonly handle: NativeDataset;

  private constructor(handle: NativeDataset, params: Params) {
    this.handle = handle;
    this.params = params;
    finalizers.register(this, handle, this);
  }

  /** Builds a Dataset from a dense matrix; NaN marks a missing value. */
  static fromMatrix(data: FloatMatrix, options: DatasetOptions): Dataset {
    if (typeof options !== 'object' || options === null) throw new TypeError('Dataset.fromMatrix needs options { rows, cols, label }');
    if (options.reference !== undefined && !(options.reference instanceof Dataset)) throw new TypeError('reference must be a Dataset');
    assertParams(options.params);
    const { rows, cols, rowMajor = true } = options;
    assertMatrix(data, rows, cols);
    if (options.featureNames && options.featureNames.length !== cols) {
      throw new RangeError(`featureNames has ${options.featureNames.length} names for ${cols} columns`);
    }
    const label = toFiniteFloat64(options.label, 'label', rows);
    const params: Params = { ...options.params };
    const categorical = resolveCategorical(options.categoricalFeatures, options.featureNames, cols);
    const rendered = renderParams(categorical ? { ...params, categorical_feature: categorical } : params);
    const handle = native().Dataset.fromMat(data, rows, cols, rowMajor, rendered, options.reference?.native() ?? null);
    const dataset = new Dataset(handle, categorical ? { ...params, categorical_feature: categorical } : params);
    try {
      handle.setField('label', label);
      if (options.weight) handle.setField('weight', toFiniteFloat64(options.weight, 'weight', rows));
      if (options.initScore) {
        const n = options.initScore.length;
        if (n === 0 || n % rows !== 0) throw new RangeError(`initScore has ${n} values, expected a multiple of ${rows}`);
        handle.setField('init_score', Float64Array.from(options.initScore));
      }
      if (options.featureNames) handle.setFeatureNames([...options.featureNames]);
    } catch (error) {
      dataset.free();
      throw error;
    }
    return dataset;
  }

  /** The rows at rowIndices, reusing this dataset's bins without re-binning (for CV folds). */
  subset(rowIndices: ArrayLike<number>, params?: Params): Dataset {
    // Int32Array.from would silently truncate 2.5 to 2 and wrap 2**32 to 0: a fold of the wrong rows.
    for (let i = 0; i < rowIndices.length; i++) {
      if (!Number.isInteger(rowIndices[i])) throw new RangeError(`rowIndices[${i}] is ${rowIndices[i]}, not a row number`);
    }
    const indices = Int32Array.from(rowIndices);
    for (let i = 1; i < indices.length; i++) {
      if (indices[i] <= indices[i - 1]) throw new RangeError('rowIndices must be strictly increasing');
    }
    assertParams(params);
    const merged = { ...this.params, ...params };
    return new Dataset(this.native().subset(indices, renderParams(merged)), merged);
  }

  numData(): number {
    return this.native().numData();
  }

  numFeature(): number {
    return this.native().numFeature();
  }

  featureNames(): string[] {
    return this.native().featureNames();
  }

  /** A copy of label, weight, init_score or group; null when unset. */
  getField(name: 'label' | 'weight' | 'init_score' | 'group'): Float64Array | null {
    return this.native().getField(name);
  }

  /** Number of bins LightGBM made for a feature. */
  featureNumBin(feature: number): number {
    return this.native().featureNumBin(feature);
  }

  /** Releases the native data now; boosters trained on it keep their own reference until freed. */
  free(): void {
    finalizers.unregister(this);
    this.handle.free();
  }

  get freed(): boolean {
    return this.handle.isFreed();
  }

  /** @internal the native handle, for Booster. */
  native(): NativeDataset {
    if (this.handle.isFreed()) throw new Error('Dataset has been freed');
    return this.handle;
  }
}

function resolveCategorical(
  features: readonly (number | string)[] | undefined,
  names: readonly string[] | undefined,
  cols: number,
): number[] | undefined {
  if (!features || features.length === 0) return undefined;
  return features.map((f) => {
    const index = typeof f === 'number' ? f : (names ?? []).indexOf(f);
    if (!Number.isInteger(index) || index < 0 || index >= cols) {
      throw new RangeError(`categorical feature ${JSON.stringify(f)} is not a column of the data`);
    }
    return index;
  });
}
