import { BullpenError, inputError, notFoundError } from '../../shared/errors';
import { MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../../shared/modelName';
import type { GatedStage } from '../../shared/registry';
import { modelStageSchema, type ModelStage } from '../../shared/vocabulary';
import type { ModelService } from '../tracking/modelService';
import type { ValidationService } from '../validation/validationService';
import type { Sql } from '../workspace/sql';
import type { Workspace } from '../workspace/workspace';
import { auditHash, GENESIS_HASH, verifyChain, type AuditHead } from './auditChain';
import { isGated, promotionGate, rollbackGate, type GatedVersion } from './registryGates';
import type {
  Approval,
  AuditAction,
  AuditEntry,
  PromotionGate,
  RegistryService,
  RegistryVersion,
  RollbackGate,
  StageChange,
} from './registryService';

/** Where the newest audit entry is recorded beside the trail (bullpen_meta), written in the same transaction as the entry. */
const AUDIT_HEAD_KEY = 'registry.auditHead';
/** How many of a model's validations are searched for the one of a version's training (newest first). */
const VALIDATION_LOOKBACK = 200;
/** Stage-moving actions: their `after.stage` is what the version's stage must be (the state check in verifyAudit). */
const STAGE_ACTIONS: readonly AuditAction[] = ['register', 'promote', 'rollback', 'archive'];

interface VersionRow {
  [key: string]: unknown;
  model_name: string;
  version: number;
  stage: string;
  source_model: string;
  run_id: string;
  trained_at: string;
  registered_ms: number;
  stage_changed_ms: number;
  left_production_seq: number | null;
}

interface ApprovalRow {
  [key: string]: unknown;
  audit_seq: number;
  model_name: string;
  version: number;
  stage: string;
  decision: string;
  actor: string;
  comment: string;
  at_ms: number;
}

interface AuditRow {
  [key: string]: unknown;
  seq: number;
  at: string;
  actor: string;
  action: string;
  model_name: string;
  version: number | null;
  before_json: string | null;
  after_json: string | null;
  reason: string;
  prev_hash: string;
  hash: string;
}

const VERSION_SELECT = `SELECT model_name, version, stage, source_model, run_id, trained_at, epoch_ms(registered_at) AS registered_ms,
  epoch_ms(stage_changed_at) AS stage_changed_ms, left_production_seq FROM registry_versions`;
const APPROVAL_SELECT = `SELECT audit_seq, model_name, version, stage, decision, actor, comment, epoch_ms(decided_at) AS at_ms FROM registry_approvals`;
const AUDIT_SELECT = `SELECT seq, written_at AS at, actor, action, model_name, version, before_json, after_json, reason, prev_hash, hash FROM registry_audit`;

const iso = (ms: number): string => new Date(ms).toISOString();
const shortRun = (runId: string): string => runId.slice(0, 8);

const toApproval = (r: ApprovalRow): Approval => ({
  actor: r.actor,
  stage: r.stage as GatedStage,
  decision: r.decision === 'rejected' ? 'rejected' : 'approved',
  comment: r.comment,
  at: iso(r.at_ms),
});

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action as AuditAction,
  modelName: r.model_name,
  version: r.version,
  before: r.before_json === null ? null : (JSON.parse(r.before_json) as Record<string, unknown>),
  after: r.after_json === null ? null : (JSON.parse(r.after_json) as Record<string, unknown>),
  reason: r.reason,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const gated = (r: VersionRow): GatedVersion => ({
  modelName: r.model_name,
  version: r.version,
  stage: modelStageSchema.parse(r.stage),
  sourceModel: r.source_model,
  runId: r.run_id,
});

function registryNotFound(modelName: string): BullpenError {
  return notFoundError(
    'REGISTRY_MODEL_NOT_FOUND',
    `no registered model named ${modelName}: list them with \`bullpen registry list\`, register one with \`bullpen registry register MODEL --as ${modelName}\``,
    { modelName },
  );
}

type NewEntry = Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash'>;

/**
 * Appends entries to the audit trail inside one transaction. Each entry links to the head recorded in
 * bullpen_meta (never to whatever row is last in the table), so appending after a row was edited or
 * deleted keeps the break visible instead of chaining over it.
 */
class AuditWriter {
  /** Stage moves made in this transaction, in order, for the listeners once it commits. */
  readonly moves: StageChange[] = [];
  private head: AuditHead | null = null;

  private constructor(private readonly sql: Sql) {}

  static async open(sql: Sql): Promise<AuditWriter> {
    const writer = new AuditWriter(sql);
    const text = await sql.value<string>(`SELECT value FROM bullpen_meta WHERE key = ?`, [AUDIT_HEAD_KEY]);
    if (text) writer.head = JSON.parse(text) as AuditHead;
    else {
      const rows = await sql.value<number>(`SELECT count(*) FROM registry_audit`);
      if (Number(rows) > 0)
        throw new BullpenError(
          'conflict',
          'REGISTRY_AUDIT_BROKEN',
          'the audit trail has entries but no record of its newest one, so a new entry could hide a deleted one: registry changes are refused; `bullpen registry audit --verify` shows the trail, restore the workspace from a backup',
        );
    }
    return writer;
  }

  async append(e: NewEntry): Promise<AuditEntry> {
    const seq = (this.head?.seq ?? 0) + 1;
    const unhashed = { ...e, seq, at: new Date().toISOString(), prevHash: this.head?.hash ?? GENESIS_HASH };
    const entry: AuditEntry = { ...unhashed, hash: auditHash(unhashed) };
    await this.sql.run(`INSERT INTO registry_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      entry.seq,
      entry.at,
      entry.actor,
      entry.action,
      entry.modelName,
      entry.version,
      entry.before === null ? null : JSON.stringify(entry.before),
      entry.after === null ? null : JSON.stringify(entry.after),
      entry.reason,
      entry.prevHash,
      entry.hash,
    ]);
    this.head = { seq: entry.seq, hash: entry.hash };
    await this.sql.run(`INSERT OR REPLACE INTO bullpen_meta VALUES (?, ?)`, [AUDIT_HEAD_KEY, JSON.stringify(this.head)]);
    return entry;
  }

  /** Moves a version to a stage and audits it; leaving production records when, so rollback can find it. */
  async move(v: GatedVersion, to: ModelStage, action: AuditAction, actor: string, reason: string): Promise<AuditEntry> {
    const entry = await this.append({
      actor,
      action,
      modelName: v.modelName,
      version: v.version,
      before: { stage: v.stage },
      after: { stage: to },
      reason,
    });
    await this.sql.run(
      `UPDATE registry_versions SET stage = ?, stage_changed_at = ?::TIMESTAMPTZ,
         left_production_seq = CASE WHEN stage = 'production' THEN ? ELSE left_production_seq END
       WHERE model_name = ? AND version = ?`,
      [to, entry.at, entry.seq, v.modelName, v.version],
    );
    this.moves.push({ modelName: v.modelName, version: v.version, from: v.stage, to, actor });
    return entry;
  }
}

/**
 * The registry in the workspace's DuckDB file. Every change runs in one transaction with its audit
 * entries, one change at a time (so "at most one production version" and the chain's numbering are
 * decided on a settled state); stage-change listeners run after the commit.
 */
export class DuckDbRegistry implements RegistryService {
  private readonly listeners = new Set<(change: StageChange) => void | Promise<void>>();
  /** The tail of the queue of changes: each waits for the one before it. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly workspace: Pick<Workspace, 'transaction' | 'all' | 'one'>,
    private readonly models: Pick<ModelService, 'find' | 'get'>,
    private readonly validations: Pick<ValidationService, 'promotion' | 'list'>,
  ) {}

  // ---- reads

  async list(): Promise<{ modelName: string; versions: RegistryVersion[] }[]> {
    const rows = await this.workspace.all<VersionRow>(`${VERSION_SELECT} ORDER BY model_name, version DESC`);
    const versions = await this.toVersions(this.workspace, rows);
    const byName = new Map<string, RegistryVersion[]>();
    for (const v of versions) byName.set(v.modelName, [...(byName.get(v.modelName) ?? []), v]);
    return [...byName].map(([modelName, vs]) => ({ modelName, versions: vs }));
  }

  async show(modelName: string): Promise<RegistryVersion[]> {
    const rows = await this.workspace.all<VersionRow>(`${VERSION_SELECT} WHERE model_name = ? ORDER BY version DESC`, [modelName]);
    if (rows.length === 0) throw registryNotFound(modelName);
    return this.toVersions(this.workspace, rows);
  }

  async version(modelName: string, version?: number): Promise<RegistryVersion> {
    const row = await this.findRow(this.workspace, modelName, version, 'production-else-latest');
    return (await this.toVersions(this.workspace, [row]))[0];
  }

  async check(modelName: string, version: number | undefined, to: ModelStage): Promise<PromotionGate> {
    const row = await this.findRow(this.workspace, modelName, version, 'latest');
    return this.gateFor(this.workspace, row, to);
  }

  async rollbackCheck(modelName: string): Promise<RollbackGate> {
    return this.rollbackGateIn(this.workspace, modelName);
  }

  async audit(modelName?: string): Promise<AuditEntry[]> {
    const rows =
      modelName === undefined
        ? await this.workspace.all<AuditRow>(`${AUDIT_SELECT} ORDER BY seq`)
        : await this.workspace.all<AuditRow>(`${AUDIT_SELECT} WHERE model_name = ? ORDER BY seq`, [modelName]);
    return rows.map(toEntry);
  }

  /**
   * Checks the chain (numbering, links, hashes, the recorded head), then that the registry's tables say
   * what the trail says: each version's stage is the one its last stage entry moved it to, and each
   * approval row is the one its entry recorded. A row changed behind the registry's back fails either way.
   */
  async verifyAudit(): Promise<{ ok: boolean; entries: number; firstBad: { seq: number; reason: string } | null }> {
    const rows = await this.workspace.all<AuditRow>(`${AUDIT_SELECT} ORDER BY seq`);
    let entries: AuditEntry[];
    try {
      entries = rows.map(toEntry);
    } catch {
      const seq = rows.find((r) => !isJsonOrNull(r.before_json) || !isJsonOrNull(r.after_json))?.seq ?? 0;
      return {
        ok: false,
        entries: rows.length,
        firstBad: { seq, reason: `entry ${seq} was changed after it was written: its JSON no longer reads` },
      };
    }
    const headText = await this.workspace.one<{ value: string }>(`SELECT value FROM bullpen_meta WHERE key = ?`, [AUDIT_HEAD_KEY]);
    const chain = verifyChain(entries, headText ? (JSON.parse(headText.value) as AuditHead) : null);
    if (!chain.ok) return chain;
    const mismatch = await this.stateMismatch(entries);
    return mismatch ? { ok: false, entries: entries.length, firstBad: mismatch } : chain;
  }

  onStageChange(listener: (change: StageChange) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- changes

  async register(sourceModel: string, options: { as?: string; actor: string }): Promise<RegistryVersion> {
    const model = await this.models.get(sourceModel);
    const name = options.as ?? model.name;
    if (!MODEL_NAME_PATTERN.test(name))
      throw inputError('REGISTRY_NAME_INVALID', `registry name "${name}" is not valid: it ${MODEL_NAME_RULE}`, { name });
    return this.change(
      async (sql, audit) => {
        const existing = await sql.one<{ version: number }>(`SELECT version FROM registry_versions WHERE model_name = ? AND run_id = ?`, [
          name,
          model.runId,
        ]);
        if (existing)
          throw new BullpenError(
            'conflict',
            'REGISTRY_ALREADY_REGISTERED',
            `model ${model.name} (training run ${shortRun(model.runId)}) is already version ${existing.version} of ${name}: promote that version, or retrain the model and register the new training`,
            { modelName: name, version: existing.version, sourceModel: model.name, runId: model.runId },
          );
        const next = Number(
          await sql.value<number>(`SELECT coalesce(max(version), 0) + 1 FROM registry_versions WHERE model_name = ?`, [name]),
        );
        const entry = await audit.append({
          actor: options.actor,
          action: 'register',
          modelName: name,
          version: next,
          before: null,
          after: { stage: 'development', sourceModel: model.name, runId: model.runId },
          reason: `registered model ${model.name} (training run ${shortRun(model.runId)}) as version ${next} of ${name}`,
        });
        await sql.run(`INSERT INTO registry_versions VALUES (?, ?, 'development', ?, ?, ?, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ, NULL)`, [
          name,
          next,
          model.name,
          model.runId,
          model.createdAt,
          entry.at,
          entry.at,
        ]);
        return next;
      },
      (v) => this.version(name, v),
    );
  }

  approve(modelName: string, version: number | undefined, stage: GatedStage, comment: string, actor: string): Promise<RegistryVersion> {
    return this.decide('approved', modelName, version, stage, comment, actor);
  }

  reject(modelName: string, version: number | undefined, stage: GatedStage, comment: string, actor: string): Promise<RegistryVersion> {
    return this.decide('rejected', modelName, version, stage, comment, actor);
  }

  async promote(modelName: string, version: number | undefined, to: ModelStage, actor: string, reason?: string): Promise<RegistryVersion> {
    return this.change(
      async (sql, audit) => {
        const row = await this.findRow(sql, modelName, version, 'latest');
        const gate = await this.gateFor(sql, row, to);
        if (row.stage === to)
          throw new BullpenError('conflict', 'REGISTRY_ALREADY_IN_STAGE', gate.reason, { modelName, version: row.version, stage: to });
        if (!gate.allowed)
          throw new BullpenError(
            'negative',
            'PROMOTION_BLOCKED',
            `cannot promote version ${row.version} of ${modelName} to ${to}: ${gate.reason}`,
            {
              modelName,
              version: row.version,
              from: row.stage,
              to,
              training: gate.training,
              validation: gate.validation,
              approval: gate.approval,
            },
          );
        const v = gated(row);
        if (to === 'production') {
          const current = await this.productionRow(sql, modelName);
          if (current)
            await audit.move(
              gated(current),
              'archived',
              'promote',
              actor,
              `replaced in production by version ${v.version}; kept for rollback`,
            );
        }
        await audit.move(v, to, 'promote', actor, reason?.trim() || gate.reason);
        return v.version;
      },
      (v) => this.version(modelName, v),
    );
  }

  async rollback(modelName: string, actor: string, reason?: string): Promise<RegistryVersion> {
    return this.change(
      async (sql, audit) => {
        const gate = await this.rollbackGateIn(sql, modelName);
        if (!gate.allowed || gate.to === null)
          throw new BullpenError('conflict', 'REGISTRY_NOTHING_TO_ROLL_BACK', gate.reason, { modelName, production: gate.from });
        const target = await this.findRow(sql, modelName, gate.to, 'latest');
        const why = reason?.trim() || `rollback: ${gate.reason}`;
        if (gate.from !== null) {
          const current = await this.findRow(sql, modelName, gate.from, 'latest');
          await audit.move(gated(current), 'archived', 'rollback', actor, `${why} (version ${target.version} restored)`);
        }
        await audit.move(gated(target), 'production', 'rollback', actor, why);
        return target.version;
      },
      (v) => this.version(modelName, v),
    );
  }

  async archive(modelName: string, version: number | undefined, actor: string, reason?: string): Promise<RegistryVersion> {
    return this.change(
      async (sql, audit) => {
        const row = version === undefined ? await this.onlyLiveRow(sql, modelName) : await this.findRow(sql, modelName, version, 'latest');
        if (row.stage === 'archived')
          throw new BullpenError('conflict', 'REGISTRY_ALREADY_IN_STAGE', `version ${row.version} of ${modelName} is already archived`, {
            modelName,
            version: row.version,
            stage: 'archived',
          });
        await audit.move(
          gated(row),
          'archived',
          'archive',
          actor,
          reason?.trim() || `archived from ${row.stage}${row.stage === 'production' ? '; kept for rollback' : ''}`,
        );
        return row.version;
      },
      (v) => this.version(modelName, v),
    );
  }

  async appendAudit(entry: Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash'>): Promise<AuditEntry> {
    // Stage moves, approvals and registrations are written only with the change they record; an entry
    // claiming one from outside would make the trail disagree with the registry. Exports and experiments'
    // circuit breakers change nothing the registry holds, so their entries come from outside.
    if (entry.action !== 'export' && entry.action !== 'experiment')
      throw new BullpenError(
        'internal',
        'AUDIT_ACTION_RESERVED',
        `audit entries for "${entry.action}" are written by the registry itself`,
        {
          action: entry.action,
        },
      );
    return this.change((_sql, audit) => audit.append(entry));
  }

  // ---- internals

  /**
   * Runs one change: queued behind the changes before it, in one transaction with its audit entries,
   * then (after the commit) the stage-change listeners for the moves it made.
   */
  private async change<T>(work: (sql: Sql, audit: AuditWriter) => Promise<T>): Promise<T>;
  private async change<T, R>(work: (sql: Sql, audit: AuditWriter) => Promise<T>, readBack: (result: T) => Promise<R>): Promise<R>;
  private async change<T, R>(work: (sql: Sql, audit: AuditWriter) => Promise<T>, readBack?: (result: T) => Promise<R>): Promise<T | R> {
    const run = this.writes.then(async () => {
      const { result, moves } = await this.workspace.transaction(async (sql) => {
        const audit = await AuditWriter.open(sql);
        const result = await work(sql, audit);
        return { result, moves: audit.moves };
      });
      // The answer is read before the next queued change commits, so it is the state this change left
      // (two promotions at once each answer "production"), whatever the listeners wait for afterwards.
      return { answer: readBack ? await readBack(result) : result, moves };
    });
    // A failed change must not block the ones queued after it.
    this.writes = run.catch(() => undefined);
    const { answer, moves } = await run;
    await this.notify(moves);
    return answer;
  }

  private async notify(moves: readonly StageChange[]): Promise<void> {
    for (const move of moves) {
      for (const listener of [...this.listeners]) {
        try {
          await listener(move);
        } catch (err) {
          process.emitWarning(
            `registry stage-change listener failed for version ${move.version} of ${move.modelName} (${move.from} → ${move.to}); the move stands: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      }
    }
  }

  private async decide(
    decision: 'approved' | 'rejected',
    modelName: string,
    version: number | undefined,
    stage: GatedStage,
    comment: string,
    actor: string,
  ): Promise<RegistryVersion> {
    const text = comment.trim();
    if (!text)
      throw new BullpenError(
        'usage',
        'APPROVAL_COMMENT_REQUIRED',
        `an ${decision === 'approved' ? 'approval' : 'rejection'} needs a comment: --comment TEXT`,
      );
    return this.change(
      async (sql, audit) => {
        const row = await this.findRow(sql, modelName, version, 'latest');
        const previous = (await this.approvalsOf(sql, modelName, row.version)).filter((a) => a.stage === stage).at(-1);
        const entry = await audit.append({
          actor,
          action: decision === 'approved' ? 'approve' : 'reject',
          modelName,
          version: row.version,
          before: previous ? { stage, decision: previous.decision, actor: previous.actor } : null,
          after: { stage, decision, comment: text },
          reason: text,
        });
        await sql.run(`INSERT INTO registry_approvals VALUES (?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ)`, [
          entry.seq,
          modelName,
          row.version,
          stage,
          decision,
          actor,
          text,
          entry.at,
        ]);
        return row.version;
      },
      (v) => this.version(modelName, v),
    );
  }

  /** A version by number; without one, the latest (for changes) or the production one else the latest (for reads). */
  private async findRow(
    sql: Pick<Sql, 'one'>,
    modelName: string,
    version: number | undefined,
    fallback: 'latest' | 'production-else-latest',
  ): Promise<VersionRow> {
    if (version !== undefined) {
      const row = await sql.one<VersionRow>(`${VERSION_SELECT} WHERE model_name = ? AND version = ?`, [modelName, version]);
      if (row) return row;
      const latest = await sql.one<VersionRow>(`${VERSION_SELECT} WHERE model_name = ? ORDER BY version DESC LIMIT 1`, [modelName]);
      if (!latest) throw registryNotFound(modelName);
      throw notFoundError(
        'REGISTRY_VERSION_NOT_FOUND',
        `${modelName} has no version ${version} (its versions are 1 to ${latest.version}): \`bullpen registry show ${modelName}\``,
        { modelName, version },
      );
    }
    const order = fallback === 'latest' ? 'version DESC' : `(stage = 'production') DESC, version DESC`;
    const row = await sql.one<VersionRow>(`${VERSION_SELECT} WHERE model_name = ? ORDER BY ${order} LIMIT 1`, [modelName]);
    if (!row) throw registryNotFound(modelName);
    return row;
  }

  /** `archive NAME` without a version: the one version not yet archived; with several, the user must say which. */
  private async onlyLiveRow(sql: Pick<Sql, 'all' | 'one'>, modelName: string): Promise<VersionRow> {
    const live = await sql.all<VersionRow>(`${VERSION_SELECT} WHERE model_name = ? AND stage <> 'archived' ORDER BY version DESC`, [
      modelName,
    ]);
    if (live.length === 1) return live[0];
    if (live.length === 0) {
      await this.findRow(sql, modelName, undefined, 'latest');
      throw new BullpenError('conflict', 'REGISTRY_ALREADY_IN_STAGE', `every version of ${modelName} is already archived`, { modelName });
    }
    throw new BullpenError(
      'usage',
      'REGISTRY_VERSION_REQUIRED',
      `${modelName} has ${live.length} versions not archived (${live.map((r) => `${r.version} ${r.stage}`).join(', ')}): say which, e.g. \`bullpen registry archive ${modelName}:${live[0].version}\``,
      { modelName, versions: live.map((r) => r.version) },
    );
  }

  private productionRow(sql: Pick<Sql, 'one'>, modelName: string): Promise<VersionRow | undefined> {
    return sql.one<VersionRow>(`${VERSION_SELECT} WHERE model_name = ? AND stage = 'production' ORDER BY version DESC LIMIT 1`, [
      modelName,
    ]);
  }

  private async rollbackGateIn(sql: Pick<Sql, 'one'>, modelName: string): Promise<RollbackGate> {
    const any = await sql.one<{ version: number }>(`SELECT version FROM registry_versions WHERE model_name = ? LIMIT 1`, [modelName]);
    if (!any) throw registryNotFound(modelName);
    const production = await this.productionRow(sql, modelName);
    const last = await sql.one<VersionRow>(
      `${VERSION_SELECT} WHERE model_name = ? AND stage = 'archived' AND left_production_seq IS NOT NULL ORDER BY left_production_seq DESC LIMIT 1`,
      [modelName],
    );
    return rollbackGate(modelName, production, last);
  }

  private async approvalsOf(sql: Pick<Sql, 'all'>, modelName: string, version: number): Promise<Approval[]> {
    const rows = await sql.all<ApprovalRow>(`${APPROVAL_SELECT} WHERE model_name = ? AND version = ? ORDER BY audit_seq`, [
      modelName,
      version,
    ]);
    return rows.map(toApproval);
  }

  private async gateFor(sql: Pick<Sql, 'all'>, row: VersionRow, to: ModelStage): Promise<PromotionGate> {
    const v = gated(row);
    if (!isGated(to) || v.stage === to) return promotionGate(v, to, { current: undefined, validation: null, approvals: [] });
    const current = await this.models.find(v.sourceModel);
    const validation = current?.runId === v.runId ? await this.validations.promotion(v.sourceModel, to) : null;
    return promotionGate(v, to, { current, validation, approvals: await this.approvalsOf(sql, v.modelName, v.version) });
  }

  /** Versions as the API shows them: with their approvals and the validation of the training each holds. */
  private async toVersions(sql: Pick<Sql, 'all'>, rows: readonly VersionRow[]): Promise<RegistryVersion[]> {
    const validationsOf = new Map<string, Promise<Awaited<ReturnType<ValidationService['list']>>>>();
    const out: RegistryVersion[] = [];
    for (const r of rows) {
      if (!validationsOf.has(r.source_model))
        validationsOf.set(r.source_model, this.validations.list({ model: r.source_model, limit: VALIDATION_LOOKBACK }));
      const records = (await validationsOf.get(r.source_model)) ?? [];
      // The newest validation of this version's training: a later retraining's validations do not speak for it.
      const own = records.find((rec) => Date.parse(rec.trainedAt) === Date.parse(r.trained_at));
      out.push({
        modelName: r.model_name,
        version: r.version,
        stage: modelStageSchema.parse(r.stage),
        sourceModel: r.source_model,
        runId: r.run_id,
        registeredAt: iso(r.registered_ms),
        stageChangedAt: iso(r.stage_changed_ms),
        approvals: await this.approvalsOf(sql, r.model_name, r.version),
        validation: own ? { status: own.status, at: own.validatedAt } : null,
      });
    }
    return out;
  }

  /** The first place where the registry's tables and its (whole) audit trail disagree, or null. */
  private async stateMismatch(entries: readonly AuditEntry[]): Promise<{ seq: number; reason: string } | null> {
    const versions = await this.workspace.all<VersionRow>(`${VERSION_SELECT} ORDER BY model_name, version`);
    const approvals = await this.workspace.all<ApprovalRow>(`${APPROVAL_SELECT} ORDER BY audit_seq`);
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    const lastStage = new Map<string, AuditEntry>();
    const problems: { seq: number; reason: string }[] = [];
    for (const e of entries) {
      const key = `${e.modelName}\u0000${e.version}`;
      if (STAGE_ACTIONS.includes(e.action) && typeof e.after?.stage === 'string') lastStage.set(key, e);
      if ((e.action === 'approve' || e.action === 'reject') && !approvals.some((a) => a.audit_seq === e.seq))
        problems.push({
          seq: e.seq,
          reason: `the ${e.action === 'approve' ? 'approval' : 'rejection'} recorded by entry ${e.seq} is missing from the registry`,
        });
    }
    for (const v of versions) {
      const e = lastStage.get(`${v.model_name}\u0000${v.version}`);
      if (!e)
        problems.push({ seq: 0, reason: `version ${v.version} of ${v.model_name} is in the registry but no audit entry registered it` });
      else if (e.after?.stage !== v.stage)
        problems.push({
          seq: e.seq,
          reason: `version ${v.version} of ${v.model_name} is ${v.stage} in the registry, but its last audit entry (${e.seq}) moved it to ${String(e.after?.stage)}`,
        });
    }
    const present = new Set(versions.map((v) => `${v.model_name}\u0000${v.version}`));
    for (const [key, e] of lastStage)
      if (!present.has(key))
        problems.push({ seq: e.seq, reason: `version ${e.version} of ${e.modelName} (audit entry ${e.seq}) is missing from the registry` });
    for (const a of approvals) {
      const e = bySeq.get(a.audit_seq);
      const matches =
        e &&
        (e.action === 'approve' || e.action === 'reject') &&
        e.modelName === a.model_name &&
        e.version === a.version &&
        e.actor === a.actor &&
        e.after?.stage === a.stage &&
        e.after.decision === a.decision &&
        e.after.comment === a.comment;
      if (!matches)
        problems.push({
          seq: a.audit_seq,
          reason: `the ${a.decision} decision for ${a.stage} on version ${a.version} of ${a.model_name} does not match audit entry ${a.audit_seq}`,
        });
    }
    problems.sort((a, b) => a.seq - b.seq);
    return problems[0] ?? null;
  }
}

function isJsonOrNull(text: string | null): boolean {
  if (text === null) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
