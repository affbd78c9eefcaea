import type { Playbook } from '../playbook/types.generated.js';
import { Redactor } from '../redact.js';

/** The values of every env name a playbook declares `secret`, from the environment or the env file, as a run reads them. */
export function dashboardSecrets(opts: { playbooks: Pick<Playbook, 'env'>[]; env: NodeJS.ProcessEnv; settings: Record<string, string> }): string[] {
  return opts.playbooks.flatMap((playbook) =>
    Object.entries(playbook.env ?? {}).flatMap(([name, spec]) => {
      const value = opts.env[name] || opts.settings[name] || spec.default;
      return spec.secret && value ? [value] : [];
    }));
}

/**
 * The dashboard masks what a run would mask: declared secrets, URL and libpq passwords, and its
 * own token. Records are masked when written; this is the second line, for records written
 * before a secret was declared and for everything else the page shows.
 */
export function dashboardRedactor(secrets: string[], env: NodeJS.ProcessEnv): Redactor {
  const token = env.RUNBOOK_DASHBOARD_TOKEN;
  return new Redactor(token ? [...secrets, token] : secrets);
}
