// Comments, quoted literals and quoted identifiers can hold any word: drop them before looking.
const NOT_CODE = /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"/g;
const READING_START = /^\s*\(*\s*(SELECT|SHOW|EXPLAIN|WITH|VALUES|TABLE)\b/i;
// Any of these anywhere (a data-modifying CTE, SELECT ... INTO, EXPLAIN ANALYZE, a second
// statement, a function that acts) makes the query one that changes something.
const CHANGING_WORDS = /\b(INSERT|UPDATE|DELETE|MERGE|INTO|CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|VACUUM|ANALY[SZ]E|CLUSTER|REINDEX|COPY|CALL|DO|LOCK|REFRESH|COMMENT|SET|RESET|NOTIFY|SECURITY)\b/i;
const ACTING_FUNCTIONS = /\b(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_switch_wal|pg_rotate_logfile|nextval|setval|set_config|pg_advisory_\w*lock\w*|pg_(create|drop)_\w+|lo_\w+|dblink\w*)\s*\(/i;

/**
 * Whether a query only reads: it starts with SELECT, SHOW, EXPLAIN, WITH, VALUES or TABLE and
 * holds no word or function that changes something. When unsure it says "changes", the strict
 * answer: a dry run and the checklist then mark it with caution.
 */
export function readsOnly(query: string): boolean {
  const code = query.replace(NOT_CODE, ' ');
  return READING_START.test(code) && !CHANGING_WORDS.test(code) && !ACTING_FUNCTIONS.test(code);
}
