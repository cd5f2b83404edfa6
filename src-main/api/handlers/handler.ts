import type { z } from 'zod';
import type { Caller } from '../../shared/caller';
import type { Engine } from '../../engine/engine';
import type { Contract, OpName, ParsedInputOf } from '../contract';

/**
 * Implements one op: gets the validated input and who asks (file paths are checked against the caller
 * through engine.files), answers with data the op's output schema accepts.
 */
export type Handler<N extends OpName> = (
  input: ParsedInputOf<Contract[N]>,
  engine: Engine,
  caller: Caller,
) => Promise<z.input<Contract[N]['output']>>;

/** A noun's handler table: exactly the ops in K, each once. */
export type HandlersFor<K extends OpName> = { [N in K]: Handler<N> };
