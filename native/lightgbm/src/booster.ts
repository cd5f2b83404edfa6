// Booster: a LightGBM model being trained or loaded (Python's lgb.Booster).
import { writeFileSync } from 'node:fs';
import { Dataset, assertMatrix } from './dataset';
import { native, type FloatMatrix, type NativeBooster } from './native';
import { renderParams, type Params } from './params';

export type PredictType = 'normal' | 'raw' | 'leaf' | 'contrib';
export type ImportanceType = 'split' | 'gain';

export interface PredictOptions {
  rows: number;
  cols: number;
  rowMajor?: boolean;
  type?: PredictType;
  startIteration?: number;
  /** Iterations to use; defaults to the best iteration when early stopping found one, else all. */
  numIteration?: number;
  /** Prediction parameters such as predict_disable_shape_check or pred_early_stop. */
  params?: Params;
}

export interface ModelOptions {
  startIteration?: number;
  /** Defaults to the best iteration when early stopping found one, else all. */
  numIteration?: number;
  importanceType?: ImportanceType;
}

export interface EvalResult {
  dataName: string;
  metric: string;
  value: number;
  higherBetter: boolean;
}

const PREDICT_TYPES: Record<PredictType, number> = { normal: 0, raw: 1, leaf: 2, contrib: 3 };
const IMPORTANCE_TYPES: Record<ImportanceType, number> = { split: 0, gain: 1 };
// Metrics where a larger value is better, as LightGBM's Python package decides for early stopping.
const HIGHER_BETTER = /^(auc|ndcg|map|average_precision|auc_mu)(@|$)/;

const finalizers = new FinalizationRegistry<NativeBooster>((handle) => handle.free());

export class Booster {
  /** Set by train() when early stopping picked an iteration (1-based); 0 means none. */
  bestIteration = 0;
  private readonly handle: NativeBooster;
  private readonly dataNames: string[];

  /** Starts training on trainSet with the given LightGBM parameters. */
  constructor(params: Params, trainSet: Dataset);
  /** @internal wraps an existing native booster. */
  constructor(params: Params, trainSet: Dataset | null, loaded: NativeBooster);
  constructor(params: Params, trainSet: Dataset | null, loaded?: NativeBooster) {
    if (loaded) {
      this.handle = loaded;
    } else {
      if (!(trainSet instanceof Dataset)) throw new TypeError('trainSet must be a Dataset');
      // LightGBM would silently train on bins built with other parameters; Python refuses, so do we.
      const rendered = renderParams(params);
      const reason = native().datasetUpdateParamChecking(renderParams(trainSet.params), rendered);
      if (reason !== null) throw new Error(`LightGBM: ${reason} (build the Dataset with these parameters instead)`);
      this.handle = native().Booster.create(trainSet.native(), rendered);
    }
    this.dataNames = trainSet ? ['training'] : [];
    finalizers.register(this, this.handle, this);
  }

  static fromModelString(model: string): Booster {
    if (typeof model !== 'string') throw new TypeError('model must be a string');
    return new Booster({}, null, native().Booster.fromModelString(model));
  }

  static fromModelFile(path: string): Booster {
    return new Booster({}, null, native().Booster.fromModelFile(path));
  }

  /** Adds a validation set evaluated after every iteration; returns its data index for eval(). */
  addValidData(dataset: Dataset, name: string): number {
    if (!(dataset instanceof Dataset)) throw new TypeError('validation data must be a Dataset');
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('a validation set needs a name (a non-empty string)');
    this.live().addValidData(dataset.native());
    this.dataNames.push(name);
    return this.dataNames.length - 1;
  }

  /** Trains one more iteration; true when no further split was possible (training finished). */
  updateOneIter(): boolean {
    return this.live().updateOneIter();
  }

  rollbackOneIter(): void {
    this.live().rollbackOneIter();
  }

  resetParameter(params: Params): void {
    this.live().resetParameter(renderParams(params));
  }

  currentIteration(): number {
    return this.live().currentIteration();
  }

  numClasses(): number {
    return this.live().numClasses();
  }

  numFeature(): number {
    return this.live().numFeature();
  }

  numModelPerIteration(): number {
    return this.live().numModelPerIteration();
  }

  numTrees(): number {
    return this.live().numTotalModel();
  }

  featureNames(): string[] {
    return this.live().featureNames();
  }

  /** Metric names in the order eval() returns their values. */
  evalNames(): string[] {
    return this.live().evalNames();
  }

  /** Metric values on data index 0 (training) or a validation set (1, 2, … in the order added). */
  eval(dataIndex: number): Float64Array {
    return this.live().eval(dataIndex);
  }

  /** eval() for every data set, labelled. */
  evalAll(): EvalResult[] {
    const names = this.evalNames();
    const results: EvalResult[] = [];
    this.dataNames.forEach((dataName, index) => {
      const values = this.eval(index);
      names.forEach((metric, i) => results.push({ dataName, metric, value: values[i], higherBetter: HIGHER_BETTER.test(metric) }));
    });
    return results;
  }

  /** Names of the data sets: 'training', then the validation names. */
  dataSetNames(): string[] {
    return [...this.dataNames];
  }

  /**
   * Predicts a dense matrix. 'normal' applies the objective's transform, 'raw' does not, 'leaf' gives
   * leaf indices and 'contrib' SHAP values (cols + 1 per class). Multiclass output is row-major
   * [row][class].
   */
  predict(data: FloatMatrix, options: PredictOptions): Float64Array {
    if (typeof options !== 'object' || options === null) throw new TypeError('predict needs options { rows, cols }');
    const { rows, cols, rowMajor = true, type = 'normal', startIteration = 0 } = options;
    assertMatrix(data, rows, cols);
    const predictType = PREDICT_TYPES[type];
    if (predictType === undefined) throw new RangeError(`unknown prediction type ${JSON.stringify(type)}`);
    return this.live().predict(
      data,
      rows,
      cols,
      rowMajor,
      predictType,
      startIteration,
      this.iterations(options.numIteration),
      renderParams(options.params),
    );
  }

  /** Importance of every feature: number of splits or total gain. */
  featureImportance(type: ImportanceType = 'split', numIteration?: number): Float64Array {
    return this.live().featureImportance(this.iterations(numIteration), importanceCode(type));
  }

  /** The model in LightGBM's text format, loadable by every LightGBM (CLI, Python, R). */
  saveModelToString(options: ModelOptions = {}): string {
    return this.live().saveModelToString(
      options.startIteration ?? 0,
      this.iterations(options.numIteration),
      importanceCode(options.importanceType ?? 'split'),
    );
  }

  saveModel(path: string, options: ModelOptions = {}): void {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a non-empty string');
    // Written from the string so a failure leaves no half-written file from LightGBM's own writer.
    writeFileSync(path, this.saveModelToString(options));
  }

  /** The model as JSON (LightGBM's dump_model). */
  dumpModel(options: ModelOptions = {}): unknown {
    return JSON.parse(
      this.live().dumpModel(
        options.startIteration ?? 0,
        this.iterations(options.numIteration),
        importanceCode(options.importanceType ?? 'split'),
      ),
    );
  }

  /** Parameters stored in a loaded model (LightGBM's "parameters" section) as JSON. */
  loadedParams(): Record<string, unknown> {
    return JSON.parse(this.live().loadedParams()) as Record<string, unknown>;
  }

  /** Frees the model now (finalizers do it eventually otherwise); later calls throw. */
  free(): void {
    finalizers.unregister(this);
    this.handle.free();
  }

  get freed(): boolean {
    return this.handle.isFreed();
  }

  private iterations(numIteration: number | undefined): number {
    if (numIteration !== undefined) {
      if (!Number.isInteger(numIteration)) throw new RangeError(`numIteration must be an integer, got ${numIteration}`);
      return numIteration;
    }
    return this.bestIteration > 0 ? this.bestIteration : -1;
  }

  private live(): NativeBooster {
    if (this.handle.isFreed()) throw new Error('Booster has been freed');
    return this.handle;
  }
}

function importanceCode(type: ImportanceType): number {
  const code = IMPORTANCE_TYPES[type];
  if (code === undefined) throw new RangeError(`unknown importance type ${JSON.stringify(type)}`);
  return code;
}
