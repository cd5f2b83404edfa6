import { z } from 'zod';

/** How one input field behaves on the command line, read off its zod schema. */
export type FieldKind =
  | { type: 'string' }
  | { type: 'number'; integer: boolean }
  | { type: 'boolean' }
  | { type: 'enum'; choices: string[] }
  | { type: 'array'; element: Exclude<FieldKind, { type: 'array' }> | { type: 'json' } }
  | { type: 'json' };

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** True when the field may be left out (optional, or has a default the engine applies). */
  optional: boolean;
  defaultValue?: unknown;
  description?: string;
}

/** Peels optional/default/nullable/pipe wrappers, remembering what they said. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; defaultValue?: unknown; description?: string } {
  let s: z.ZodType = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = schema.description;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      optional = true;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) {
      optional = true;
      defaultValue ??= s.def.defaultValue;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodCatch) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else {
      break;
    }
    description ??= s.description;
  }
  return { inner: s, optional, defaultValue, description };
}

function literalChoices(s: z.ZodType): string[] | null {
  if (s instanceof z.ZodLiteral) return [...s.values].map(String);
  if (s instanceof z.ZodEnum) return s.options.map(String);
  if (s instanceof z.ZodUnion) {
    const out: string[] = [];
    for (const o of s.options as z.ZodType[]) {
      const c = literalChoices(unwrap(o).inner);
      if (!c) return null;
      out.push(...c);
    }
    return out;
  }
  return null;
}

function scalarKind(s: z.ZodType): Exclude<FieldKind, { type: 'array' }> {
  if (s instanceof z.ZodString) return { type: 'string' };
  if (s instanceof z.ZodNumber) return { type: 'number', integer: s.format === 'safeint' || s.format === 'int32' || s.format === 'uint32' };
  if (s instanceof z.ZodBoolean) return { type: 'boolean' };
  const choices = literalChoices(s);
  if (choices) return { type: 'enum', choices };
  // Objects, records, mixed unions: the user passes JSON.
  return { type: 'json' };
}

/** The kind of one schema as the CLI sees it. */
export function fieldKind(schema: z.ZodType): FieldKind {
  const { inner } = unwrap(schema);
  if (inner instanceof z.ZodArray) {
    const el = scalarKind(unwrap(inner.element as z.ZodType).inner);
    return { type: 'array', element: el.type === 'boolean' ? { type: 'json' } : el };
  }
  return scalarKind(inner);
}

/** The fields of an op's input object schema, in declaration order. */
export function inputFields(input: z.ZodType): FieldSpec[] {
  const { inner } = unwrap(input);
  if (!(inner instanceof z.ZodObject)) throw new Error('an op exposed on the CLI needs an object input schema');
  return Object.entries(inner.shape as Record<string, z.ZodType>).map(([name, schema]) => {
    const u = unwrap(schema);
    return {
      name,
      kind: fieldKind(schema),
      optional: u.optional,
      ...(u.defaultValue !== undefined ? { defaultValue: u.defaultValue } : {}),
      ...(u.description ? { description: u.description } : {}),
    };
  });
}

/** `stepDelayMs` → `step-delay-ms`: the flag spelling for a camelCase field. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}
