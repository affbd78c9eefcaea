import type { Command } from 'commander';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { writeAtomic } from '../fs/write-atomic.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';

export function registerRender(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('render')
    .argument('[name]', 'playbook name')
    .option('--all', 'the whole maintenance document: every playbook, grouped by schedule')
    .option('-o, --output <file>', 'write to FILE instead of printing')
    .option('--json', 'print JSON: the markdown and where it went')
    .description('a playbook as a markdown checklist; --all: the whole maintenance document')
    .action(action(async (name: string | undefined, opts: { all?: boolean; output?: string; json?: boolean }) => {
      if (Boolean(name) === Boolean(opts.all)) throw new RunbookError('BAD_ARGUMENT', 'name one playbook, or give --all for the whole document');
      // Loaded here, not at start-up, like every command's machinery.
      const markdown = name
        ? await (await import('../render/checklist.js')).renderChecklist(name, io.dirs())
        : await (await import('../render/document.js')).renderDocument(io.dirs());
      if (opts.output) writeAtomic(path.resolve(opts.output), markdown, { shared: true });
      if (opts.json) io.out(jsonText({ playbook: name ?? null, all: Boolean(opts.all), file: opts.output ?? null, markdown }));
      else io.out(opts.output ? `wrote ${opts.output}` : markdown.replace(/\n$/, ''));
      return 0;
    }));
}
