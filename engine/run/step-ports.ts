import type { PortName, PreviousRunView, StepPorts } from '../steps/types.js';
import { alertsOf } from './context.js';
import type { RunRecord } from './record.js';

function previousView(record: RunRecord): PreviousRunView {
  return {
    run_id: record.run_id,
    status: record.status,
    alertsBefore({ id, name }) {
      const index = record.steps.findIndex((step) => (id ? step.id === id : step.name === name));
      return alertsOf(index === -1 ? record.steps : record.steps.slice(0, index));
    },
  };
}

/** The ports a step type asked for (`StepType.ports`), and only those. */
export function stepPorts(opts: { names: readonly PortName[] | undefined; previous: RunRecord | undefined }): Partial<StepPorts> {
  const ports: Partial<StepPorts> = {};
  for (const name of opts.names ?? []) {
    if (name === 'previousRun') ports.previousRun = opts.previous && previousView(opts.previous);
  }
  return ports;
}
