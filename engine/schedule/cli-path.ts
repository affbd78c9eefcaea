import { realpathSync } from 'node:fs';
import path from 'node:path';
import { packageFile } from '../package-files.js';
import { shellQuote } from '../template/render.js';

const PACKAGE_BIN = packageFile('bin', 'runbook');
// Where Debian's cron looks for programs (`#!/usr/bin/env node` searches only these).
const CRON_PATH = ['/usr/bin', '/bin'];

function realpath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The absolute path of this runbook CLI: the path it was started by when that is our bin (a
 * global install's symlink survives upgrades), else the package's own bin.
 */
export function cliPath(argv1 = process.argv[1]): string {
  const started = argv1 && path.resolve(argv1);
  return started && realpath(started) === realpath(PACKAGE_BIN) ? started : PACKAGE_BIN;
}

/**
 * The command a crontab line runs. When this node is not on cron's short PATH (nvm,
 * /usr/local), the bin's `env node` would fail under cron, so node is named explicitly.
 */
export function cliCommand(): string {
  const cli = shellQuote(cliPath());
  return CRON_PATH.includes(path.dirname(process.execPath)) ? cli : `${shellQuote(process.execPath)} ${cli}`;
}
