import type { Command } from 'commander';
import { EXIT, RunbookError } from '../errors.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';

export function registerDoc(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('doc')
    .argument('[type]', 'a step type: every field, output and an example')
    .description('the reference: step types, keys, metrics, template helpers, notify channels')
    .option('--json', 'the same as JSON')
    .action(action(async (type: string | undefined, opts: { json?: boolean }) => {
      const model = await import('../doc/model.js');
      const text = await import('../doc/text.js');
      if (type === undefined) {
        if (opts.json) io.out(jsonText(model.referenceData()));
        else text.docIndex().forEach((line) => io.out(line));
        return EXIT.OK;
      }
      const doc = model.stepTypeDoc(type);
      if (!doc) {
        const { didYouMean } = await import('../suggest.js');
        throw new RunbookError('BAD_ARGUMENT', `no step type \`${type}\`${didYouMean(type, model.STEP_TYPE_NAMES)} (step types: ${model.STEP_TYPE_NAMES.join(', ')})`);
      }
      if (opts.json) io.out(jsonText(doc));
      else text.docStepType(doc).forEach((line) => io.out(line));
      return EXIT.OK;
    }));
}
