/**
 * LightGBM 4.1's parameters as its own source declares them (include/LightGBM/config.h of the lightgbm
 * npm package, the tree @bullpen/lightgbm is built from): each name with its aliases, its kind, the
 * values an enum accepts (with their aliases) and the bounds LightGBM checks. The engine needs them
 * without loading the native addon (the addon lives in workers), to refuse a bad search space before a
 * sweep starts. test/unit/sweep/lightgbmParameters.test.ts re-reads config.h and asks the built binding
 * for its alias table, and fails (printing the table to paste here) when this copy drifts.
 */

/** config.h's regions: Core, Learning Control, IO (Dataset, Predict, Convert), Objective, Metric, Network, GPU. */
export type LightgbmGroup = 'core' | 'learning' | 'dataset' | 'predict' | 'convert' | 'objective' | 'metric' | 'network' | 'gpu';
/** `list` is a comma-separated list (multi-int, multi-double, multi-enum); `string` a path or a column spec. */
export type LightgbmType = 'int' | 'double' | 'bool' | 'enum' | 'string' | 'list';
export interface LightgbmParameter {
  group: LightgbmGroup;
  type: LightgbmType;
  aliases: string[];
  /** LightGBM's own checks (`>0.0`, `<=1.0`): a value outside them stops training. */
  checks?: string[];
  /** An enum's values, each with the aliases LightGBM also accepts for it. */
  options?: Record<string, string[]>;
}

export const LIGHTGBM_PARAMETERS: Record<string, LightgbmParameter> = {
  config: { group: 'core', type: 'string', aliases: ['config_file'] },
  task: {
    group: 'core',
    type: 'enum',
    aliases: ['task_type'],
    options: { train: ['training'], predict: ['prediction', 'test'], convert_model: [], refit: ['refit_tree'] },
  },
  objective: {
    group: 'core',
    type: 'enum',
    aliases: ['objective_type', 'app', 'application', 'loss'],
    options: {
      regression: [],
      regression_l1: [],
      huber: [],
      fair: [],
      poisson: [],
      quantile: [],
      mape: [],
      gamma: [],
      tweedie: [],
      binary: [],
      multiclass: [],
      multiclassova: [],
      cross_entropy: [],
      cross_entropy_lambda: [],
      lambdarank: [],
      rank_xendcg: [],
    },
  },
  boosting: {
    group: 'core',
    type: 'enum',
    aliases: ['boosting_type', 'boost'],
    options: { gbdt: ['gbrt'], rf: ['random_forest'], dart: [] },
  },
  data_sample_strategy: { group: 'core', type: 'enum', aliases: [], options: { bagging: [], goss: [] } },
  data: { group: 'core', type: 'string', aliases: ['train', 'train_data', 'train_data_file', 'data_filename'] },
  valid: {
    group: 'core',
    type: 'list',
    aliases: ['test', 'valid_data', 'valid_data_file', 'test_data', 'test_data_file', 'valid_filenames'],
  },
  num_iterations: {
    group: 'core',
    type: 'int',
    aliases: [
      'num_iteration',
      'n_iter',
      'num_tree',
      'num_trees',
      'num_round',
      'num_rounds',
      'nrounds',
      'num_boost_round',
      'n_estimators',
      'max_iter',
    ],
    checks: ['>=0'],
  },
  learning_rate: { group: 'core', type: 'double', aliases: ['shrinkage_rate', 'eta'], checks: ['>0.0'] },
  num_leaves: { group: 'core', type: 'int', aliases: ['num_leaf', 'max_leaves', 'max_leaf', 'max_leaf_nodes'], checks: ['>1', '<=131072'] },
  tree_learner: {
    group: 'core',
    type: 'enum',
    aliases: ['tree', 'tree_type', 'tree_learner_type'],
    options: { serial: [], feature: ['feature_parallel'], data: ['data_parallel'], voting: ['voting_parallel'] },
  },
  num_threads: { group: 'core', type: 'int', aliases: ['num_thread', 'nthread', 'nthreads', 'n_jobs'] },
  device_type: { group: 'core', type: 'enum', aliases: ['device'], options: { cpu: [], gpu: [], cuda: [] } },
  seed: { group: 'core', type: 'int', aliases: ['random_seed', 'random_state'] },
  deterministic: { group: 'core', type: 'bool', aliases: [] },
  force_col_wise: { group: 'learning', type: 'bool', aliases: [] },
  force_row_wise: { group: 'learning', type: 'bool', aliases: [] },
  histogram_pool_size: { group: 'learning', type: 'double', aliases: ['hist_pool_size'] },
  max_depth: { group: 'learning', type: 'int', aliases: [] },
  min_data_in_leaf: {
    group: 'learning',
    type: 'int',
    aliases: ['min_data_per_leaf', 'min_data', 'min_child_samples', 'min_samples_leaf'],
    checks: ['>=0'],
  },
  min_sum_hessian_in_leaf: {
    group: 'learning',
    type: 'double',
    aliases: ['min_sum_hessian_per_leaf', 'min_sum_hessian', 'min_hessian', 'min_child_weight'],
    checks: ['>=0.0'],
  },
  bagging_fraction: { group: 'learning', type: 'double', aliases: ['sub_row', 'subsample', 'bagging'], checks: ['>0.0', '<=1.0'] },
  pos_bagging_fraction: {
    group: 'learning',
    type: 'double',
    aliases: ['pos_sub_row', 'pos_subsample', 'pos_bagging'],
    checks: ['>0.0', '<=1.0'],
  },
  neg_bagging_fraction: {
    group: 'learning',
    type: 'double',
    aliases: ['neg_sub_row', 'neg_subsample', 'neg_bagging'],
    checks: ['>0.0', '<=1.0'],
  },
  bagging_freq: { group: 'learning', type: 'int', aliases: ['subsample_freq'] },
  bagging_seed: { group: 'learning', type: 'int', aliases: ['bagging_fraction_seed'] },
  feature_fraction: { group: 'learning', type: 'double', aliases: ['sub_feature', 'colsample_bytree'], checks: ['>0.0', '<=1.0'] },
  feature_fraction_bynode: {
    group: 'learning',
    type: 'double',
    aliases: ['sub_feature_bynode', 'colsample_bynode'],
    checks: ['>0.0', '<=1.0'],
  },
  feature_fraction_seed: { group: 'learning', type: 'int', aliases: [] },
  extra_trees: { group: 'learning', type: 'bool', aliases: ['extra_tree'] },
  extra_seed: { group: 'learning', type: 'int', aliases: [] },
  early_stopping_round: { group: 'learning', type: 'int', aliases: ['early_stopping_rounds', 'early_stopping', 'n_iter_no_change'] },
  first_metric_only: { group: 'learning', type: 'bool', aliases: [] },
  max_delta_step: { group: 'learning', type: 'double', aliases: ['max_tree_output', 'max_leaf_output'] },
  lambda_l1: { group: 'learning', type: 'double', aliases: ['reg_alpha', 'l1_regularization'], checks: ['>=0.0'] },
  lambda_l2: { group: 'learning', type: 'double', aliases: ['reg_lambda', 'lambda', 'l2_regularization'], checks: ['>=0.0'] },
  linear_lambda: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0'] },
  min_gain_to_split: { group: 'learning', type: 'double', aliases: ['min_split_gain'], checks: ['>=0.0'] },
  drop_rate: { group: 'learning', type: 'double', aliases: ['rate_drop'], checks: ['>=0.0', '<=1.0'] },
  max_drop: { group: 'learning', type: 'int', aliases: [] },
  skip_drop: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0', '<=1.0'] },
  xgboost_dart_mode: { group: 'learning', type: 'bool', aliases: [] },
  uniform_drop: { group: 'learning', type: 'bool', aliases: [] },
  drop_seed: { group: 'learning', type: 'int', aliases: [] },
  top_rate: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0', '<=1.0'] },
  other_rate: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0', '<=1.0'] },
  min_data_per_group: { group: 'learning', type: 'int', aliases: [], checks: ['>0'] },
  max_cat_threshold: { group: 'learning', type: 'int', aliases: [], checks: ['>0'] },
  cat_l2: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0'] },
  cat_smooth: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0'] },
  max_cat_to_onehot: { group: 'learning', type: 'int', aliases: [], checks: ['>0'] },
  top_k: { group: 'learning', type: 'int', aliases: ['topk'], checks: ['>0'] },
  monotone_constraints: { group: 'learning', type: 'list', aliases: ['mc', 'monotone_constraint', 'monotonic_cst'] },
  monotone_constraints_method: {
    group: 'learning',
    type: 'enum',
    aliases: ['monotone_constraining_method', 'mc_method'],
    options: { basic: [], intermediate: [], advanced: [] },
  },
  monotone_penalty: {
    group: 'learning',
    type: 'double',
    aliases: ['monotone_splits_penalty', 'ms_penalty', 'mc_penalty'],
    checks: ['>=0.0'],
  },
  feature_contri: { group: 'learning', type: 'list', aliases: ['feature_contrib', 'fc', 'fp', 'feature_penalty'] },
  forcedsplits_filename: {
    group: 'learning',
    type: 'string',
    aliases: ['fs', 'forced_splits_filename', 'forced_splits_file', 'forced_splits'],
  },
  refit_decay_rate: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0', '<=1.0'] },
  cegb_tradeoff: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0'] },
  cegb_penalty_split: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0'] },
  cegb_penalty_feature_lazy: { group: 'learning', type: 'list', aliases: [] },
  cegb_penalty_feature_coupled: { group: 'learning', type: 'list', aliases: [] },
  path_smooth: { group: 'learning', type: 'double', aliases: [], checks: ['>=0.0'] },
  interaction_constraints: { group: 'learning', type: 'string', aliases: [] },
  verbosity: { group: 'learning', type: 'int', aliases: ['verbose'] },
  input_model: { group: 'learning', type: 'string', aliases: ['model_input', 'model_in'] },
  output_model: { group: 'learning', type: 'string', aliases: ['model_output', 'model_out'] },
  saved_feature_importance_type: { group: 'learning', type: 'int', aliases: [] },
  snapshot_freq: { group: 'learning', type: 'int', aliases: ['save_period'] },
  use_quantized_grad: { group: 'learning', type: 'bool', aliases: [] },
  num_grad_quant_bins: { group: 'learning', type: 'int', aliases: [] },
  quant_train_renew_leaf: { group: 'learning', type: 'bool', aliases: [] },
  stochastic_rounding: { group: 'learning', type: 'bool', aliases: [] },
  linear_tree: { group: 'dataset', type: 'bool', aliases: ['linear_trees'] },
  max_bin: { group: 'dataset', type: 'int', aliases: ['max_bins'], checks: ['>1'] },
  max_bin_by_feature: { group: 'dataset', type: 'list', aliases: [] },
  min_data_in_bin: { group: 'dataset', type: 'int', aliases: [], checks: ['>0'] },
  bin_construct_sample_cnt: { group: 'dataset', type: 'int', aliases: ['subsample_for_bin'], checks: ['>0'] },
  data_random_seed: { group: 'dataset', type: 'int', aliases: ['data_seed'] },
  is_enable_sparse: { group: 'dataset', type: 'bool', aliases: ['is_sparse', 'enable_sparse', 'sparse'] },
  enable_bundle: { group: 'dataset', type: 'bool', aliases: ['is_enable_bundle', 'bundle'] },
  use_missing: { group: 'dataset', type: 'bool', aliases: [] },
  zero_as_missing: { group: 'dataset', type: 'bool', aliases: [] },
  feature_pre_filter: { group: 'dataset', type: 'bool', aliases: [] },
  pre_partition: { group: 'dataset', type: 'bool', aliases: ['is_pre_partition'] },
  two_round: { group: 'dataset', type: 'bool', aliases: ['two_round_loading', 'use_two_round_loading'] },
  header: { group: 'dataset', type: 'bool', aliases: ['has_header'] },
  label_column: { group: 'dataset', type: 'string', aliases: ['label'] },
  weight_column: { group: 'dataset', type: 'string', aliases: ['weight'] },
  group_column: { group: 'dataset', type: 'string', aliases: ['group', 'group_id', 'query_column', 'query', 'query_id'] },
  ignore_column: { group: 'dataset', type: 'list', aliases: ['ignore_feature', 'blacklist'] },
  categorical_feature: {
    group: 'dataset',
    type: 'list',
    aliases: ['cat_feature', 'categorical_column', 'cat_column', 'categorical_features'],
  },
  forcedbins_filename: { group: 'dataset', type: 'string', aliases: [] },
  save_binary: { group: 'dataset', type: 'bool', aliases: ['is_save_binary', 'is_save_binary_file'] },
  precise_float_parser: { group: 'dataset', type: 'bool', aliases: [] },
  parser_config_file: { group: 'dataset', type: 'string', aliases: [] },
  start_iteration_predict: { group: 'predict', type: 'int', aliases: [] },
  num_iteration_predict: { group: 'predict', type: 'int', aliases: [] },
  predict_raw_score: { group: 'predict', type: 'bool', aliases: ['is_predict_raw_score', 'predict_rawscore', 'raw_score'] },
  predict_leaf_index: { group: 'predict', type: 'bool', aliases: ['is_predict_leaf_index', 'leaf_index'] },
  predict_contrib: { group: 'predict', type: 'bool', aliases: ['is_predict_contrib', 'contrib'] },
  predict_disable_shape_check: { group: 'predict', type: 'bool', aliases: [] },
  pred_early_stop: { group: 'predict', type: 'bool', aliases: [] },
  pred_early_stop_freq: { group: 'predict', type: 'int', aliases: [] },
  pred_early_stop_margin: { group: 'predict', type: 'double', aliases: [] },
  output_result: {
    group: 'predict',
    type: 'string',
    aliases: ['predict_result', 'prediction_result', 'predict_name', 'prediction_name', 'pred_name', 'name_pred'],
  },
  convert_model_language: { group: 'convert', type: 'string', aliases: [] },
  convert_model: { group: 'convert', type: 'string', aliases: ['convert_model_file'] },
  objective_seed: { group: 'objective', type: 'int', aliases: [] },
  num_class: { group: 'objective', type: 'int', aliases: ['num_classes'], checks: ['>0'] },
  is_unbalance: { group: 'objective', type: 'bool', aliases: ['unbalance', 'unbalanced_sets'] },
  scale_pos_weight: { group: 'objective', type: 'double', aliases: [], checks: ['>0.0'] },
  sigmoid: { group: 'objective', type: 'double', aliases: [], checks: ['>0.0'] },
  boost_from_average: { group: 'objective', type: 'bool', aliases: [] },
  reg_sqrt: { group: 'objective', type: 'bool', aliases: [] },
  alpha: { group: 'objective', type: 'double', aliases: [], checks: ['>0.0'] },
  fair_c: { group: 'objective', type: 'double', aliases: [], checks: ['>0.0'] },
  poisson_max_delta_step: { group: 'objective', type: 'double', aliases: [], checks: ['>0.0'] },
  tweedie_variance_power: { group: 'objective', type: 'double', aliases: [], checks: ['>=1.0', '<2.0'] },
  lambdarank_truncation_level: { group: 'objective', type: 'int', aliases: [], checks: ['>0'] },
  lambdarank_norm: { group: 'objective', type: 'bool', aliases: [] },
  label_gain: { group: 'objective', type: 'list', aliases: [] },
  lambdarank_position_bias_regularization: { group: 'objective', type: 'double', aliases: [], checks: ['>=0.0'] },
  metric: { group: 'metric', type: 'list', aliases: ['metrics', 'metric_types'] },
  metric_freq: { group: 'metric', type: 'int', aliases: ['output_freq'], checks: ['>0'] },
  is_provide_training_metric: { group: 'metric', type: 'bool', aliases: ['training_metric', 'is_training_metric', 'train_metric'] },
  eval_at: { group: 'metric', type: 'list', aliases: ['ndcg_eval_at', 'ndcg_at', 'map_eval_at', 'map_at'] },
  multi_error_top_k: { group: 'metric', type: 'int', aliases: [], checks: ['>0'] },
  auc_mu_weights: { group: 'metric', type: 'list', aliases: [] },
  num_machines: { group: 'network', type: 'int', aliases: ['num_machine'], checks: ['>0'] },
  local_listen_port: { group: 'network', type: 'int', aliases: ['local_port', 'port'], checks: ['>0'] },
  time_out: { group: 'network', type: 'int', aliases: [], checks: ['>0'] },
  machine_list_filename: { group: 'network', type: 'string', aliases: ['machine_list_file', 'machine_list', 'mlist'] },
  machines: { group: 'network', type: 'string', aliases: ['workers', 'nodes'] },
  gpu_platform_id: { group: 'gpu', type: 'int', aliases: [] },
  gpu_device_id: { group: 'gpu', type: 'int', aliases: [] },
  gpu_use_dp: { group: 'gpu', type: 'bool', aliases: [] },
  num_gpu: { group: 'gpu', type: 'int', aliases: [], checks: ['>0'] },
};

const canonical = new Map<string, string>(
  Object.entries(LIGHTGBM_PARAMETERS).flatMap(([name, p]) => [[name, name] as const, ...p.aliases.map((a) => [a, name] as const)]),
);

/** Every name and alias LightGBM accepts, for did-you-mean suggestions. */
export const LIGHTGBM_NAMES: readonly string[] = [...canonical.keys()];

/** The parameter a name or alias stands for (`min_child_samples` → `min_data_in_leaf`); null for a name LightGBM does not know. */
export function lightgbmParameterName(name: string): string | null {
  return canonical.get(name) ?? null;
}

export interface LightgbmBound {
  op: '>' | '>=' | '<' | '<=';
  bound: number;
}

/** A parameter's checks as comparisons (`>0.0` → {op: '>', bound: 0}). */
export function lightgbmBounds(name: string): LightgbmBound[] {
  const p = LIGHTGBM_PARAMETERS[lightgbmParameterName(name) ?? ''];
  return (p?.checks ?? []).map((c) => {
    const m = /^(>=|<=|>|<)(-?\d+(?:\.\d+)?)$/.exec(c);
    if (!m) throw new Error(`unreadable LightGBM check ${c} of ${name}`);
    return { op: m[1] as LightgbmBound['op'], bound: Number(m[2]) };
  });
}

/**
 * `base` with `overrides` on top, by parameter rather than by spelling. LightGBM itself keeps the
 * canonical name when both it and an alias are given (config.h, KeyAliasTransform), so merging
 * `{min_child_samples: 5}` into defaults holding `min_data_in_leaf: 200` by key would silently train
 * with 200: here the override replaces every spelling of the same parameter in `base`.
 */
export function mergeLightgbmParams<B, O>(
  base: Readonly<Record<string, B>>,
  overrides: Readonly<Record<string, O>>,
): Record<string, B | O> {
  const overridden = new Set(Object.keys(overrides).map((k) => lightgbmParameterName(k) ?? k));
  const out: Record<string, B | O> = {};
  for (const [k, v] of Object.entries(base)) if (!overridden.has(lightgbmParameterName(k) ?? k)) out[k] = v;
  return { ...out, ...overrides };
}
