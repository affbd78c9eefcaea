-- The fleet database's roles (README, "A fleet of hosts"). Run once, as the operator login that
-- created the fleet (its first `runbook fleet ...` command created the `runbook` and `pgboss`
-- schemas, so it owns them and sees every row), then once per host for its agent's login.
--   psql "$RUNBOOK_FLEET_URL" -f docs/fleet-roles.sql

-- Agents: their host's rows of runbook's tables, nothing else there.
CREATE ROLE runbook_agent NOLOGIN;
GRANT USAGE ON SCHEMA runbook TO runbook_agent;
GRANT SELECT, INSERT, UPDATE, DELETE ON runbook.runs, runbook.agents TO runbook_agent;
ALTER TABLE runbook.runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE runbook.agents ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_host ON runbook.runs TO runbook_agent USING (host = current_user) WITH CHECK (host = current_user);
CREATE POLICY own_host ON runbook.agents TO runbook_agent USING (host = current_user) WITH CHECK (host = current_user);

-- pg-boss's queue has no per-host rights: agents fetch, complete and (maintenance) expire jobs
-- in its tables. What keeps a host safe is the agent itself: it runs only playbooks on its own
-- disk, by name, validated as the CLI validates them.
GRANT USAGE ON SCHEMA pgboss TO runbook_agent;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO runbook_agent;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO runbook_agent;

-- More operators: every row of runbook's tables (the owner sees them all already).
CREATE ROLE runbook_operator NOLOGIN;
GRANT USAGE ON SCHEMA runbook, pgboss TO runbook_operator;
GRANT SELECT, INSERT, UPDATE, DELETE ON runbook.runs, runbook.agents TO runbook_operator;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO runbook_operator;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO runbook_operator;
CREATE POLICY operators ON runbook.runs TO runbook_operator USING (true) WITH CHECK (true);
CREATE POLICY operators ON runbook.agents TO runbook_operator USING (true) WITH CHECK (true);

-- Then, per host, a login named exactly as its RUNBOOK_HOST:
--   CREATE ROLE "web-1" LOGIN PASSWORD '...' IN ROLE runbook_agent;
-- and per person:  CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE runbook_operator;
