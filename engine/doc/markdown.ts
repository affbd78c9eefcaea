import { CONTEXT_ROOTS } from '../template/context.js';
import { channelDocs, commonFields, helperDocs, metricDocs, STEP_TYPE_NAMES, stepTypeDoc, type FieldDoc } from './model.js';

/** docs/reference.md, written by `npm run gen`; test/doc/reference.test.ts fails when it is stale. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

function code(text: string): string {
  return text ? `\`${text}\`` : '';
}

function fieldRows(fields: FieldDoc[]): string[] {
  return table(['key', 'type', 'required', 'default', 'description'], fields.map((field) => [
    code(field.name), field.type, field.required ? 'yes' : '', code(field.default ?? ''), field.description,
  ]));
}

export function referenceMarkdown(): string {
  const lines = [
    '# runbook reference',
    '',
    '<!-- Generated from the step-type table by `npm run gen`; do not edit. `runbook doc` prints the same. -->',
    '',
    'The format itself (a playbook, a step, templates, exit codes) is described in [format.md](format.md).',
    '',
    '## Keys every step may have',
    '',
    ...fieldRows(commonFields()),
    '',
    '## Step types',
    '',
    ...table(['type', 'what it does'], STEP_TYPE_NAMES.map((name) => [`[${code(name)}](#${name})`, stepTypeDoc(name)!.summary])),
  ];
  for (const name of STEP_TYPE_NAMES) {
    const doc = stepTypeDoc(name)!;
    lines.push(
      '', `### ${name}`, '', doc.summary, '',
      `Changes the machine: ${doc.changesMachine}. Default timeout: ${doc.defaultTimeout ?? 'none'}.`, '',
      ...fieldRows(doc.fields), '',
      `Outputs (\`steps.ID.output.KEY\`):`, '',
      ...table(['key', 'type', 'description'], doc.outputs.map((output) => [
        code(output.name), output.type, `${output.description}${output.when ? ` (${output.when})` : ''}`,
      ])),
      '', '```yaml', doc.example, '```',
    );
  }
  lines.push(
    '', '## Metrics for `assert-threshold`', '',
    ...table(['metric', 'unit', 'reads'], metricDocs().map((metric) => [code(metric.name), code(metric.unit), metric.description])),
    '', '## Template helpers', '',
    `Templates read ${CONTEXT_ROOTS.map(code).join(', ')} (\`steps.ID.output.KEY\`, \`.status\`, \`.value\`, \`.level\`).`, '',
    ...table(['helper', 'usage', 'gives'], helperDocs().map((helper) => [code(helper.name), code(helper.usage), helper.description])),
    '', '## Notify channels', '',
  );
  for (const channel of channelDocs()) {
    lines.push(`### ${code(channel.name)}`, '', channel.description, '');
    if (channel.fields.length) lines.push(...fieldRows(channel.fields), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
