/**
 * The playbooks `runbook new` writes: commented, valid as they stand, and each a start that
 * shows the keys a newcomer would otherwise look up (`runbook doc TYPE` has every one).
 */
export const EXAMPLES = ['health-check', 'db', 'alert'] as const;
export type Example = (typeof EXAMPLES)[number];

const BASIC = `steps:
  # Each step has a name and a type (runbook doc lists the types; runbook doc TYPE their keys).
  # An id lets later steps read its output: {{steps.ID.output.KEY}}.
  - id: disk
    name: Disk usage of /
    type: assert-threshold
    metric: disk.used_percent        # runbook doc lists the metrics
    warn: { above: "{{vars.disk_warn}}" }
    critical: { above: 95 }
  - id: biggest
    name: Largest folders under /var
    type: shell
    run: du -xsh /var/* 2>/dev/null | sort -rh | head -5
    timeout: 1m                      # shell steps have no time limit of their own
`;

const BODIES: Record<Example | 'basic', { head: string; body: string }> = {
  basic: {
    head: `vars:                                # constants: {{vars.NAME}}; --var name=value overrides
  disk_warn: 80
`,
    body: BASIC,
  },
  'health-check': {
    head: `schedule:
  cron: "0 0 * * 1"                  # Monday 00:00; runbook next NAME shows the next times
  timezone: UTC
vars:
  swap_warn: 20
env:                                 # the environment the playbook reads (declare it: nothing else is visible)
  SLACK_WEBHOOK: { description: Slack incoming webhook, required: false, secret: true }
`,
    body: `steps:
  - id: swap
    name: Swap usage
    type: assert-threshold
    metric: swap.used_percent
    warn: { above: "{{vars.swap_warn}}" }
    critical: { above: 80 }
  - id: memory
    name: Memory usage
    type: assert-threshold
    metric: memory.used_percent
    warn: { above: 85 }
  - id: pm2
    name: PM2 processes
    type: pm2
    action: list                     # critical when a process is errored or crash-looping
  - id: api
    name: API health endpoint
    type: http-check
    url: http://127.0.0.1:3000/health
    expect: { status: 200 }
    latency: { warn: 500ms }
  - name: Tell the team
    type: notify
    when: on-alert                   # only when an earlier step warned or went critical
    channels:
      slack: { webhook: "{{env.SLACK_WEBHOOK}}" }   # skipped, saying so, while SLACK_WEBHOOK is unset
      stdout: true
`,
  },
  db: {
    head: `schedule:
  cron: "30 1 * * *"                 # daily 01:30
  timezone: UTC
env:
  # DATABASE_URL, else the PG* variables (PGHOST, PGUSER...), as psql does
  DATABASE_URL: { description: "postgres://user@host:5432/name", required: false, secret: true }
`,
    body: `steps:
  - id: connections
    name: Connections in use
    type: sql
    # No templates in SQL: values go in params as $1..$n
    query: SELECT round(100.0 * count(*) / current_setting('max_connections')::int, 1) AS used_percent FROM pg_stat_activity
    timeout: 30s
  - name: Connections below the limit
    type: assert-threshold
    value: "{{steps.connections.output.value}}"   # runbook doc sql: the outputs a sql step leaves
    unit: "%"
    warn: { above: 80 }
    critical: { above: 95 }
  - id: size
    name: Database size
    type: sql
    query: SELECT pg_size_pretty(pg_database_size(current_database())) AS size
    timeout: 30s
`,
  },
  alert: {
    head: `schedule:
  cron: "0 * * * *"                  # every hour
  timezone: UTC
env:
  SLACK_WEBHOOK: { description: Slack incoming webhook, required: false, secret: true }
`,
    body: `steps:
  - id: load
    name: Load per core
    type: assert-threshold
    metric: load.per_core
    warn: { above: 1.5 }
    critical: { above: 3 }
  - name: Page on change
    type: notify
    when: always                     # always: the recovery message goes out too
    on_change: true                  # only when the alerts differ from the last run's...
    repeat: 6h                       # ...or the same alerts again after 6h
    channels:
      slack: { webhook: "{{env.SLACK_WEBHOOK}}" }
      stdout: true
`,
  },
};

function titleOf(name: string): string {
  const last = name.split('/').pop()!.replace(/[-_.]+/g, ' ').trim();
  return last.charAt(0).toUpperCase() + last.slice(1);
}

/** The text of a new playbook; `schemaRef` is what the editor header points at. */
export function skeleton(opts: { name: string; example?: Example; schemaRef: string }): string {
  const { head, body } = BODIES[opts.example ?? 'basic'];
  return `# yaml-language-server: $schema=${opts.schemaRef}
# A runbook playbook (docs/format.md). Check it: runbook validate; try it: runbook run ${opts.name} --dry-run
title: ${titleOf(opts.name)}
description: What this playbook checks or fixes, and when to run it.
${head}${body}`;
}
