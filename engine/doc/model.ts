import { COMMON_STEP_PROPERTIES } from '../playbook/schema.js';
import { STEP_TYPES } from '../steps/index.js';
import { CHANNELS } from '../steps/notify/channels.js';
import { METRICS } from '../steps/support/metrics.js';
import type { OutputSpec, StepType } from '../steps/types.js';
import { HELPER_DOCS } from '../template/helper-docs.js';

/**
 * The reference, derived from the step-type table and its neighbours (metrics, channels,
 * helpers): `runbook doc` and docs/reference.md both read this, so neither can drift.
 */
export interface FieldDoc {
  /** Dotted below a mapping: `expect.status`. */
  name: string;
  type: string;
  required: boolean;
  default?: string;
  description: string;
}

export interface StepTypeDoc {
  name: string;
  summary: string;
  fields: FieldDoc[];
  outputs: (OutputSpec & { name: string })[];
  example: string;
  defaultTimeout?: string;
  changesMachine: 'yes' | 'no' | 'depends';
}

type Schema = {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  const?: unknown;
  items?: Schema;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  default?: unknown;
  description?: string;
};

const TYPE_WORDS: Record<string, string> = { object: 'mapping', array: 'list', integer: 'whole number' };

/** A schema's type in a reader's words: `duration`, `list of whole number`, `sh | bash`. */
export function typeWords(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map(String).join(' | ');
  if (schema.pattern?.includes('ms|s|m|h|d|w')) return 'duration';
  const types = [schema.type ?? []].flat();
  if (types.length === 0) return 'any';
  return types.map((type) => (type === 'array' && schema.items ? `list of ${typeWords(schema.items)}` : TYPE_WORDS[type] ?? type)).join(' or ');
}

/** Every property, mappings opened up into dotted names. */
export function fieldsOf(properties: Record<string, Schema>, required: readonly string[] = [], prefix = ''): FieldDoc[] {
  return Object.entries(properties).flatMap(([key, schema]) => {
    const field: FieldDoc = {
      name: `${prefix}${key}`,
      type: typeWords(schema),
      required: required.includes(key),
      ...(schema.default !== undefined ? { default: JSON.stringify(schema.default) } : {}),
      description: schema.description ?? '',
    };
    const inner = schema.properties ? fieldsOf(schema.properties, schema.required, `${field.name}.`) : [];
    return [field, ...inner];
  });
}

const TYPES = STEP_TYPES as Record<string, StepType>;

export const STEP_TYPE_NAMES = Object.keys(TYPES);

/** The keys every step has (name and type required). */
export function commonFields(): FieldDoc[] {
  const { id, name, ...rest } = COMMON_STEP_PROPERTIES as Record<string, Schema>;
  const type = { type: 'string', description: `The step type: ${STEP_TYPE_NAMES.join(', ')}` };
  return fieldsOf({ id: id!, name: name!, type, ...rest }, ['name', 'type']);
}

export function stepTypeDoc(name: string): StepTypeDoc | undefined {
  const type = TYPES[name];
  if (!type) return undefined;
  return {
    name,
    summary: type.summary,
    fields: fieldsOf(type.schema.properties as Record<string, Schema>, type.schema.required),
    outputs: Object.entries(type.outputs).map(([key, spec]) => ({ name: key, ...spec })),
    example: type.example,
    defaultTimeout: type.defaultTimeout,
    changesMachine: typeof type.sideEffects === 'function' ? 'depends' : type.sideEffects ? 'yes' : 'no',
  };
}

export function metricDocs(): { name: string; unit: string; description: string }[] {
  return Object.entries(METRICS).map(([name, metric]) => ({ name, unit: metric.unit, description: metric.describe }));
}

export function helperDocs(): { name: string; usage: string; description: string }[] {
  return Object.entries(HELPER_DOCS).map(([name, doc]) => ({ name, ...doc }));
}

export function channelDocs(): { name: string; description: string; fields: FieldDoc[] }[] {
  return Object.entries(CHANNELS).map(([name, channel]) => {
    const schema = channel.schema as Schema;
    return { name, description: schema.description ?? '', fields: schema.properties ? fieldsOf(schema.properties, schema.required) : [] };
  });
}

/** Everything, for `runbook doc --json`. */
export function referenceData() {
  return {
    common_keys: commonFields(),
    step_types: STEP_TYPE_NAMES.map((name) => stepTypeDoc(name)!),
    metrics: metricDocs(),
    helpers: helperDocs(),
    channels: channelDocs(),
  };
}
