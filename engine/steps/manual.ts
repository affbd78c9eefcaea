import type { ManualStep } from '../playbook/types.generated.js';
import type { StepType } from './types.js';


export const manual: StepType<ManualStep> = {
  summary: 'A task for a person: asked as done/skip in a terminal, recorded as pending without one.',
  schema: {
    properties: { instructions: { type: 'string', description: 'What the person should do' } },
  },
  outputs: {
    answer: { type: 'string', description: 'done, skip, or pending (no terminal to ask)' },
  },
  example: `- name: Review the disk report
  type: manual
  instructions: Read the report and remove old backups if /var is above 80%.`,
  sideEffects: false,
  describe: (step) => step.instructions?.trim().split('\n')[0] ?? 'manual task',
  checklist: (step) => ({ text: step.instructions?.trim() ?? '' }),

  async run(ctx) {
    const instructions = ctx.step.instructions?.trim();
    if (instructions) ctx.log(instructions);
    if (!ctx.prompter) return { status: 'pending', output: { answer: 'pending' } };
    const answer = await ctx.prompter.choose(instructions ? `${instructions}\n  Done?` : 'Done?', [
      { value: 'done', name: 'done' },
      { value: 'skip', name: 'skip for now' },
    ], ctx.signal);
    return answer === 'done' ? { output: { answer } } : { status: 'skipped', output: { answer }, message: 'skipped for now at the prompt' };
  },
};

