import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPlaybooks, SHIPPED_DIR } from '../../engine/playbook/locate.js';
import { cliEnv, ROOT, runCli, tempDir } from '../support/cli.js';

/**
 * Golden files of `runbook render` for every shipped playbook and of `render --all`. After
 * changing a playbook or the renderer, regenerate them and review the diff:
 *   UPDATE_GOLDEN=1 npx vitest run test/render
 */
const GOLDEN = path.join(ROOT, 'test', 'render', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SHIPPED = listPlaybooks([SHIPPED_DIR]).map((p) => p.name);
const goldenOf = (name: string) => path.join(GOLDEN, 'playbooks', `${name}.md`);

let state: ReturnType<typeof tempDir>;
beforeAll(() => {
  state = tempDir();
});
afterAll(() => state.remove());

/** Runs `runbook render ARGS` from the repository root, where only the shipped playbooks are visible. */
async function rendered(args: string[]): Promise<string> {
  const result = await runCli(['render', ...args], { env: cliEnv(state.dir) });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

function matchGolden(file: string, actual: string): void {
  if (UPDATE) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  const relative = path.relative(ROOT, file);
  expect(existsSync(file), `${relative} is missing: run UPDATE_GOLDEN=1 npx vitest run test/render`).toBe(true);
  expect(actual, `${relative} differs: review, then UPDATE_GOLDEN=1 npx vitest run test/render`).toBe(readFileSync(file, 'utf8'));
}

/** Every golden file of a single playbook, by playbook name. */
function goldenNames(dir = path.join(GOLDEN, 'playbooks'), prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory()
    ? goldenNames(path.join(dir, entry.name), `${prefix}${entry.name}/`)
    : [`${prefix}${entry.name.replace(/\.md$/, '')}`]);
}

describe('golden checklists of the shipped playbooks', () => {
  it.each(SHIPPED)('runbook render %s', async (name) => {
    matchGolden(goldenOf(name), await rendered([name]));
  });

  it('runbook render --all', async () => {
    matchGolden(path.join(GOLDEN, 'document.md'), await rendered(['--all']));
  });

  it('render --all is prose for a person: no template code, the seed\'s headings, expected results and cadence words', async () => {
    const text = await rendered(['--all']);
    expect(text).not.toContain('{{');
    expect(text).toContain('### Monday - Weekly Health Check (00:00 UTC)');
    expect(text).toContain('**Expected results**:\n- All services: `online` status\n');
    expect(text).toContain('only if “Swap usage” is critical');
    expect(text).toContain('first Monday of the quarter');
  });

  it('keeps no golden file of a playbook that is gone', () => {
    const stale = goldenNames().filter((name) => !SHIPPED.includes(name));
    if (UPDATE) for (const name of stale) rmSync(goldenOf(name));
    else expect(stale, 'stale golden files: run UPDATE_GOLDEN=1 npx vitest run test/render').toEqual([]);
  });
});
