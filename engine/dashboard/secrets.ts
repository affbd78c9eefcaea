import type { LoadedPlaybook } from '../playbook/load.js';
import { Redactor } from '../redact.js';

/**
 * The dashboard masks what a run would mask: the values of every env name a playbook declares
 * `secret` (from the environment or the env file, as a run reads them), URL and libpq
 * passwords, and its own token. Records are masked when written; this is the second line, for
 * records written before a secret was declared and for everything else the page shows.
 */
export function dashboardRedactor(opts: { playbooks: LoadedPlaybook[]; env: NodeJS.ProcessEnv; settings: Record<string, string> }): Redactor {
  const secrets = opts.playbooks.flatMap((playbook) =>
    Object.entries(playbook.data.env ?? {}).flatMap(([name, spec]) => {
      const value = opts.env[name] || opts.settings[name] || spec.default;
      return spec.secret && value ? [value] : [];
    }));
  const token = opts.env.RUNBOOK_DASHBOARD_TOKEN;
  return new Redactor(token ? [...secrets, token] : secrets);
}
