/**
 * How often a job is tried again after its agent died mid-run (pg-boss expired it): once for a
 * playbook that only looks (no step with side effects), never for one that changes the machine,
 * nor for one the sender cannot read to tell. The agent checks again before a retry runs.
 */
export async function retryLimitFor(playbook: string, dirs: string[]): Promise<number> {
  try {
    const [{ loadPlaybook }, { hasSideEffects }] = await Promise.all([import('../playbook/load.js'), import('../steps/side-effects.js')]);
    const loaded = await loadPlaybook(playbook, dirs);
    return loaded.data.steps.some(hasSideEffects) ? 0 : 1;
  } catch {
    return 0;
  }
}

/** Whether a playbook this host has changes the machine (a step with side effects). */
export async function changesMachine(playbook: string, dirs: string[]): Promise<boolean> {
  return (await retryLimitFor(playbook, dirs)) === 0;
}
