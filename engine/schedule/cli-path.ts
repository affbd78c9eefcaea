import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { packageFile } from '../package-files.js';
import { SHIPPED_DIR } from '../playbook/locate.js';
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

/** npx runs a package from npm's cache (`~/.npm/_npx/HASH/...`), which `npm cache clean` deletes. */
const inNpxCache = (file: string) => file.split(path.sep).includes('_npx');

/** The package folder of a runbook bin (`PKG/bin/runbook`), when it is one. */
function runbookPackageOf(bin: string): string | undefined {
  const real = realpath(bin);
  if (!real) return undefined;
  const root = path.dirname(path.dirname(real));
  try {
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string }).name === 'runbook' ? root : undefined;
  } catch {
    return undefined;
  }
}

/** A `runbook` on PATH outside npx's cache (a global install), if there is one. */
function installedOnPath(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const bin = path.join(dir, 'runbook');
    if (inNpxCache(bin)) continue;
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      continue;
    }
    const root = runbookPackageOf(bin);
    if (root && !inNpxCache(root)) return bin;
  }
  return undefined;
}

/**
 * The absolute path of this runbook CLI: the path it was started by when that is our bin (a
 * global install's symlink survives upgrades), else the package's own bin.
 */
export function cliPath(argv1 = process.argv[1]): string {
  const started = argv1 && path.resolve(argv1);
  return started && realpath(started) === realpath(PACKAGE_BIN) ? started : PACKAGE_BIN;
}

/** What a crontab line runs: the command, and the shipped playbooks' folder of that install. */
export interface CliInstall {
  command: string;
  shippedDir: string;
}

/**
 * The CLI a crontab line can rely on. Run through npx, this CLI lives in npm's cache: a runbook
 * installed on PATH is named instead, else the line is refused, saying how to install. When
 * this node is not on cron's short PATH (nvm, /usr/local), the bin would not find it under cron,
 * so the line puts node's folder on its PATH.
 */
export function cliInstall(env: NodeJS.ProcessEnv = process.env): CliInstall {
  let cli = cliPath();
  let shippedDir = SHIPPED_DIR;
  if (inNpxCache(cli)) {
    const installed = installedOnPath(env);
    if (!installed) {
      throw new RunbookError('CRONTAB', `runbook runs from npx's cache (${path.dirname(cli)}), which npm deletes (npm cache clean, a newer version): a crontab cannot point there. Install it first, then run runbook cron again: \`npm install -g runbook\`, or \`npm install runbook\` in a folder and \`npx runbook cron\` from there`);
    }
    cli = installed;
    shippedDir = path.join(runbookPackageOf(installed)!, 'playbooks');
  }
  const quoted = shellQuote(cli);
  // node's folder put first on the crontab's PATH (not `node BIN`). The rest of PATH is the
  // crontab's, which the steps run with.
  const missing = nodeDirMissingFrom(CRON_PATH);
  return { command: missing ? `PATH=${shellQuote(missing)}:"$PATH" ${quoted}` : quoted, shippedDir };
}

/**
 * The folder of the node running now, when the PATH `dirs` lacks it: the bin starts node from the
 * CLI's start-up snapshot only when it runs as itself and finds that node on PATH, so whoever runs
 * the bin (cron, a fleet agent) puts this folder first.
 */
export function nodeDirMissingFrom(dirs: readonly string[]): string | undefined {
  const nodeDir = path.dirname(process.execPath);
  return dirs.includes(nodeDir) ? undefined : nodeDir;
}
