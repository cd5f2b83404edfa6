import { stringify } from 'yaml';

/**
 * The LightGBM version the binding is built from (4.1.0 plus unreleased fixes: the npm package's tree is
 * 4.1.0.99) and the release Python users install to load its model text.
 */
export const LIGHTGBM_PYTHON_VERSION = '4.1.0';
/**
 * The Python the environment files name. Bullpen does not run Python; MLflow only warns when the loading
 * interpreter's minor version differs, and both mlflow and lightgbm support 3.9–3.13.
 */
export const MODEL_PYTHON_VERSION = '3.11.9';
/** Rows of real features saved as the model's input example. */
export const INPUT_EXAMPLE_ROWS = 5;

export interface ModelFile {
  /** Relative to the model directory. */
  path: string;
  content: string;
  contentType: string;
}

export interface LightgbmModelSpec {
  /** LightGBM's text model (what `Booster(model_file=…)` reads). */
  modelText: string;
  featureNames: string[];
  /** Real feature rows (feature order), at most INPUT_EXAMPLE_ROWS; none when the workspace can no longer build them. */
  exampleRows: number[][];
  /** The MLflow version of the server (requirements pin the client to it), or null when unknown. */
  mlflowVersion: string | null;
  runId: string;
  /** Where the model lives: `model` under a run (MLflow 2), or the logged model's artifact URI (MLflow 3). */
  artifactPath: string;
  /** MLflow 3's logged model id, when there is one. */
  modelId: string | null;
  /** When the model was created (the training run's end), so a re-export writes the same MLmodel. */
  createdAt: Date;
  /** MLflow's model_uuid (32 hex): derived from what is exported, so a re-export writes the same MLmodel. */
  modelUuid: string;
}

/** MLflow's `utc_time_created` format: `2024-05-01 12:00:00.000000`. */
function utcTimeCreated(d: Date): string {
  return `${d.toISOString().replace('T', ' ').replace('Z', '')}000`;
}

/** Column specs of the signature: every Bullpen feature is a float64 column (NaN where missing). */
export function signatureInputs(featureNames: readonly string[]): string {
  return JSON.stringify(featureNames.map((name) => ({ type: 'double', name, required: true })));
}

/** The booster's output: one float64 probability per row. */
export const SIGNATURE_OUTPUTS = JSON.stringify([{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape: [-1] } }]);

/** JSON for example values: a missing value (NaN) is written the way Python's json module reads it back. */
function exampleJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `__nan__${String(v)}` : v)).replace(
    /"__nan__(NaN|Infinity|-Infinity)"/g,
    '$1',
  );
}

/**
 * The files of a standard MLflow lightgbm-flavour model directory, MLmodel last (a directory with an
 * MLmodel is complete): model.lgb, requirements.txt, conda.yaml, python_env.yaml, the input example,
 * and MLmodel with the lightgbm and python_function flavors and the signature.
 * `mlflow.lightgbm.load_model` and `mlflow.pyfunc.load_model` load it as if Python had logged it.
 */
export function lightgbmModelFiles(spec: LightgbmModelSpec): { files: ModelFile[]; mlmodel: Record<string, unknown> } {
  const mlflowRequirement = spec.mlflowVersion ? `mlflow==${spec.mlflowVersion}` : 'mlflow';
  const requirements = [mlflowRequirement, `lightgbm==${LIGHTGBM_PYTHON_VERSION}`];
  const files: ModelFile[] = [
    { path: 'model.lgb', content: spec.modelText, contentType: 'text/plain' },
    { path: 'requirements.txt', content: `${requirements.join('\n')}\n`, contentType: 'text/plain' },
    {
      path: 'conda.yaml',
      content: stringify({
        channels: ['conda-forge'],
        dependencies: [`python=${MODEL_PYTHON_VERSION}`, 'pip<=24.0', { pip: requirements }],
        name: 'mlflow-env',
      }),
      contentType: 'application/x-yaml',
    },
    {
      path: 'python_env.yaml',
      content: stringify({
        python: MODEL_PYTHON_VERSION,
        build_dependencies: ['pip==24.0', 'setuptools', 'wheel'],
        dependencies: ['-r requirements.txt'],
      }),
      contentType: 'application/x-yaml',
    },
  ];
  const hasExample = spec.exampleRows.length > 0;
  if (hasExample) {
    const split = { columns: spec.featureNames, data: spec.exampleRows };
    files.push(
      { path: 'input_example.json', content: exampleJson(split), contentType: 'application/json' },
      { path: 'serving_input_example.json', content: exampleJson({ dataframe_split: split }), contentType: 'application/json' },
    );
  }
  const sizeBytes = files.reduce((n, f) => n + Buffer.byteLength(f.content, 'utf8'), 0);
  const mlmodel: Record<string, unknown> = {
    artifact_path: spec.artifactPath,
    flavors: {
      lightgbm: { code: null, data: 'model.lgb', lgb_version: LIGHTGBM_PYTHON_VERSION, model_class: 'lightgbm.basic.Booster' },
      python_function: {
        data: 'model.lgb',
        env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
        loader_module: 'mlflow.lightgbm',
        python_version: MODEL_PYTHON_VERSION,
      },
    },
    ...(spec.mlflowVersion ? { mlflow_version: spec.mlflowVersion } : {}),
    ...(spec.modelId ? { model_id: spec.modelId } : {}),
    model_size_bytes: sizeBytes,
    model_uuid: spec.modelUuid,
    run_id: spec.runId,
    ...(hasExample
      ? {
          saved_input_example_info: {
            artifact_path: 'input_example.json',
            pandas_orient: 'split',
            serving_input_path: 'serving_input_example.json',
            type: 'dataframe',
          },
        }
      : {}),
    signature: { inputs: signatureInputs(spec.featureNames), outputs: SIGNATURE_OUTPUTS, params: null },
    utc_time_created: utcTimeCreated(spec.createdAt),
  };
  files.push({ path: 'MLmodel', content: stringify(mlmodel), contentType: 'application/x-yaml' });
  return { files, mlmodel };
}
