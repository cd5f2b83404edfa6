import type { Contract, InputOf, OutputOf, PredictResult } from '../../../../src-main/api/contract';
import { completedKinds, DomainService, type ServiceDeps } from '../domainService.svelte';
import { saveFile } from '../export/saveFile';
import { predictionFile, type PredictionFormat } from './predictionFiles';

export type Model = OutputOf<Contract['ml.models.list']>['models'][number];
export type TrainRequest = InputOf<Contract['ml.train']>;

/** Trained models: the list, training a new one, and scoring games with one (predictions to download). */
export class ModelService extends DomainService {
  readonly models = this.query('list the models', async () => (await this.client.call('ml.models.list', {})).models);
  readonly training = this.launch('ml.train');
  readonly prediction = this.launch('ml.predict');
  /** What the last prediction was asked for, to name its file. */
  #predicted = $state<{ model: string; seasons: string } | null>(null);

  constructor(deps: ServiceDeps) {
    super(deps);
    this.refreshAfter(completedKinds('ml.train'), this.models);
  }

  get list(): Model[] {
    return this.models.current ?? [];
  }

  train(request: TrainRequest): void {
    void this.training.start('start training', () => this.client.call('ml.train', request));
  }

  /**
   * Scores the workspace's games of `seasons` with `model`. No `out` file is given: the predictions come
   * back in the job's result (the engine allows that up to its inline limit) and the page builds the
   * file, so serve mode needs no way to read server files.
   */
  predict(model: string, seasons: string): void {
    this.#predicted = { model, seasons };
    void this.prediction.start('start the prediction', () => this.client.call('ml.predict', { model, seasons }));
  }

  /** The last prediction's answer once its job has completed. */
  get predictionResult(): PredictResult | null {
    return this.prediction.result;
  }

  /** Saves the last prediction's rows as CSV or Parquet through the browser. */
  download(format: PredictionFormat): void {
    const result = this.predictionResult;
    if (!result || !this.#predicted) return;
    const file = predictionFile(result.predictions, result.modelName, this.#predicted.seasons, format);
    saveFile(file.name, file.mediaType, file.content);
  }
}
