import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, RunbookError } from '../errors.js';
import { nameProblem } from '../playbook/name.js';
import { EXAMPLES, skeleton, type Example } from '../scaffold/skeletons.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';
import { SCHEMA_FILE } from './schema.js';

/** The schema as the file's header names it: relative inside the package (as shipped ones do), else absolute. */
function schemaRef(file: string): string {
  const relative = path.relative(path.dirname(file), SCHEMA_FILE);
  const packageRoot = path.dirname(path.dirname(SCHEMA_FILE));
  return path.relative(packageRoot, file).startsWith('..') ? SCHEMA_FILE : relative.split(path.sep).join('/');
}

export function registerNew(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('new')
    .argument('<name>', 'playbook name, e.g. disk-space or emergency/disk-full')
    .description('write a commented playbook skeleton into the playbook folder')
    .option('--example <kind>', `start from an example: ${EXAMPLES.join(', ')}`)
    .option('--json', 'print JSON: the playbook and the file written')
    .action(action(async (name: string, opts: { example?: string; json?: boolean }) => {
      const refused = nameProblem(name);
      if (refused) throw new RunbookError('BAD_ARGUMENT', refused);
      if (opts.example !== undefined && !(EXAMPLES as readonly string[]).includes(opts.example)) {
        throw new RunbookError('BAD_ARGUMENT', `no example \`${opts.example}\` (examples: ${EXAMPLES.join(', ')})`);
      }
      // The first folder playbooks are looked up in: --dir, else RUNBOOK_DIR, else ./playbooks.
      const file = path.join(io.dirs()[0]!, `${name}.yaml`);
      if (existsSync(file) || existsSync(file.replace(/\.yaml$/, '.yml'))) {
        throw new RunbookError('BAD_ARGUMENT', `${file} exists already: nothing written`);
      }
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, skeleton({ name, example: opts.example as Example | undefined, schemaRef: schemaRef(file) }), { flag: 'wx' });
      if (opts.json) {
        io.out(jsonText({ playbook: name, file }));
        return EXIT.OK;
      }
      io.out(`wrote ${file}`);
      io.out(`next: edit it, then \`runbook validate ${file}\` and \`runbook run ${name} --dry-run\``);
      return EXIT.OK;
    }));
}
