import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, type Sandbox } from './sandbox.js';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const COMPILE = new Set(['compileSourceTextModule', 'wrapSafe', 'compileFunction', 'compileForInternalLoader']);

/** What a sample's function is part of: a library (by the bundle's chunk map), runbook's own code, node, V8. */
function categoryOf(frame: { functionName: string; url: string }, chunks: Record<string, string[]>): string {
  const { functionName: fn, url } = frame;
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)') return 'idle (waiting for I/O and child processes)';
  if (fn === '(program)') return 'V8 itself (reading the start-up snapshot, compiling lazily)';
  if (COMPILE.has(fn)) return 'compiling the loaded code';
  const file = /\/dist\/((?:lib\/)?[^/]+\.c?js)$/.exec(url)?.[1];
  if (file === 'program.cjs') return "the CLI's bundle (runbook's own code, commander, pm2's socket modules)";
  if (file) return chunks[file]?.length ? chunks[file]!.join(', ') : "runbook's own code";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return `${pkg} (from node_modules)`;
  if (/esm\/|cjs\/|modules\/|node:internal\/modules/.test(url) || /^(node:)?internal\/modules/.test(url)) return 'node: finding and linking modules';
  return 'node: the rest (bootstrap, fs, child_process, streams)';
}

/** CPU time by part, summed over `runs` profiled runs of `args`, in ms per run. */
export function profile(sandbox: Sandbox, args: string[], runs = 5): { part: string; ms: number }[] {
  const dir = mkdtempSync(path.join(sandbox.work, 'prof-'));
  try {
    for (let i = 0; i < runs; i++) {
      // As bin/runbook starts it (profiler flags in NODE_OPTIONS would make it run without the snapshot).
      spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--snapshot-blob', path.join(ROOT, 'dist', 'program.blob'), '--', BIN, ...args], { env: sandbox.env, cwd: ROOT, stdio: 'ignore' });
    }
    const chunks = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'packages.json'), 'utf8')) as Record<string, string[]>;
    const parts = new Map<string, number>();
    for (const file of readdirSync(dir)) {
      const prof = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
      const byId = new Map(prof.nodes.map((node) => [node.id, node.callFrame]));
      prof.samples.forEach((id, i) => {
        const part = categoryOf(byId.get(id)!, chunks);
        parts.set(part, (parts.get(part) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
      });
    }
    return [...parts].map(([part, ms]) => ({ part, ms: Math.round((ms / runs) * 10) / 10 })).sort((a, b) => b.ms - a.ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
