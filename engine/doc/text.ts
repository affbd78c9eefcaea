import { CONTEXT_ROOTS } from '../template/context.js';
import { formatTable } from '../template/helpers.js';
import { channelDocs, commonFields, helperDocs, metricDocs, STEP_TYPE_NAMES, stepTypeDoc, type FieldDoc, type StepTypeDoc } from './model.js';

/** `runbook doc` and `runbook doc TYPE` as terminal text. */
function indented(table: string): string[] {
  return table.split('\n').map((line) => `  ${line}`);
}

function fieldTable(fields: FieldDoc[]): string[] {
  return indented(formatTable(fields.map((field) => ({
    key: field.name,
    type: field.type,
    '': [field.required ? 'required' : '', field.default !== undefined ? `default ${field.default}` : ''].filter(Boolean).join(', '),
    description: field.description,
  }))));
}

export function docIndex(): string[] {
  const types = STEP_TYPE_NAMES.map((name) => stepTypeDoc(name)!);
  return [
    'Step types (`runbook doc TYPE`: every field, output and an example):',
    ...indented(formatTable(types.map((type) => ({ type: type.name, summary: type.summary })))),
    '',
    'Keys every step may have:',
    ...fieldTable(commonFields()),
    '',
    'Metrics for assert-threshold (`metric: NAME`):',
    ...indented(formatTable(metricDocs().map((metric) => ({ metric: metric.name, unit: metric.unit, reads: metric.description })))),
    '',
    'Template helpers:',
    ...indented(formatTable(helperDocs().map((helper) => ({ helper: helper.name, usage: helper.usage, gives: helper.description })))),
    '',
    `Template names: ${CONTEXT_ROOTS.join(', ')} (steps.ID.output.KEY, .status, .value, .level)`,
    '',
    'Notify channels (under `channels:` of a notify step):',
    ...indented(formatTable(channelDocs().map((channel) => ({
      channel: channel.name, settings: channel.fields.map((field) => field.name).join(', ') || 'true', description: channel.description,
    })))),
    '',
    'The playbook format: docs/format.md; the full reference: docs/reference.md; the schema: `runbook schema`.',
  ];
}

export function docStepType(doc: StepTypeDoc): string[] {
  return [
    `${doc.name}: ${doc.summary}`,
    `Changes the machine: ${doc.changesMachine}. Default timeout: ${doc.defaultTimeout ?? 'none (set `timeout`)'}.`,
    '',
    'Fields:',
    ...fieldTable(doc.fields),
    `  (and the keys every step may have: ${commonFields().map((field) => field.name).join(', ')})`,
    '',
    'Outputs (`steps.ID.output.KEY`):',
    ...indented(formatTable(doc.outputs.map((output) => ({
      key: output.name, type: output.type, description: `${output.description}${output.when ? ` (${output.when})` : ''}`,
    })))),
    '',
    'Example:',
    ...doc.example.split('\n').map((line) => `  ${line}`),
  ];
}
