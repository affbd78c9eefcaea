import type { PlaybookStep } from '../playbook/types.generated.js';
import { summaryMessage } from '../summary-text.js';
import { StepFailure } from './failure.js';
import type { Level, StepType } from './types.js';


const LEVELS: Record<string, Level> = { OK: 'ok', WARNING: 'warn', CRITICAL: 'critical' };

export const playbook: StepType<PlaybookStep> = {
  summary: 'Runs another playbook as one step (its own lock, record and result).',
  schema: {
    properties: {
      playbook: { type: 'string', minLength: 1, description: 'Name of the playbook to run' },
      params: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'The called playbook\'s params (templates allowed)', examples: [{ process: '{{params.process}}' }] },
    },
    required: ['playbook'],
  },
  outputs: {
    run_id: { type: 'string', description: 'The called run\'s id (runbook show RUN_ID)' },
    status: { type: 'string', description: 'OK, WARNING, CRITICAL or UNKNOWN' },
    summary: { type: 'string', description: 'Its Nagios summary line' },
    steps: { type: 'list', description: 'Its steps: id, name, status and output of each' },
  },
  example: `- name: Swap emergency
  type: playbook
  playbook: emergency/swap-thrash
  when: on-alert
  if: "{{gt steps.swap.value 80}}"`,
  sideEffects: false,
  describe: (step) => {
    const params = Object.entries(step.params ?? {}).map(([name, value]) => `${name}=${value}`);
    return `run playbook \`${step.playbook}\`${params.length ? ` with ${params.join(', ')}` : ''}`;
  },
  calls: (step) => [step.playbook],

  async run(ctx) {
    const params = Object.fromEntries(Object.entries(ctx.step.params ?? {}).map(([k, v]) => [k, String(v)]));
    const result = await ctx.runPlaybook({ name: ctx.step.playbook, params, signal: ctx.signal });
    const output = { run_id: result.run_id, status: result.status, summary: result.summary, steps: result.steps };
    const level = LEVELS[result.status];
    const what = summaryMessage(result.summary);
    const message = `${ctx.step.playbook} ${result.status}: ${what}`;
    if (!level) throw new StepFailure(message, output);
    return { level, output, value: result.status, message: level === 'ok' ? undefined : message };
  },
};
