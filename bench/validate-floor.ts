// What `runbook validate` does on unchanged playbooks, without the CLI around it: the playbook
// folders listed, each file read and matched with its kept verdict (engine/playbook/check-cache.ts),
// one line printed; no argument parser, no env file, no start-up snapshot. bench/run.ts bundles it
// without the checks a changed playbook needs (it fails when a verdict is missing) and sets it
// beside `node -e 0`: the least a node program doing validate's reads costs.
import path from 'node:path';
import { cacheChecksIn } from '../engine/playbook/check-cache.js';
import { checkPlaybookFile } from '../engine/playbook/load.js';
import { listPlaybooks, playbookDirs } from '../engine/playbook/locate.js';
import { stateDir } from '../engine/run/state-dir.js';

async function main(): Promise<void> {
  cacheChecksIn(path.join(stateDir(process.env), 'cache'));
  const dirs = playbookDirs(undefined, process.env);
  const files = listPlaybooks(dirs).map((entry) => entry.file);
  let bad = 0;
  for (const file of files) if ((await checkPlaybookFile(file, dirs)).problems.length) bad++;
  process.stdout.write(bad ? `${bad} of ${files.length} playbooks have problems\n` : `${files.length} playbooks valid\n`);
}

void main();
