import type { HELPERS } from './helpers.js';

/**
 * How each template helper is called and what it gives, for `runbook doc` and docs/reference.md.
 * Typed against the helper table, so a helper cannot be added without its line here.
 */
export const HELPER_DOCS: Record<keyof typeof HELPERS, { usage: string; description: string }> = {
  date: { usage: '{{date}} / {{date "YYYY-MM-DD"}}', description: 'Now, as an ISO time, or formatted in UTC with YYYY MM DD HH mm ss' },
  json: { usage: '{{json steps.x.output.row}}', description: 'The value as JSON text' },
  bytes: { usage: '{{bytes steps.x.value}}', description: 'A byte count made readable: 1.5 GiB' },
  percent: { usage: '{{percent part whole}} / {{percent ratio}}', description: 'part/whole as a percentage with one decimal: 23.4%' },
  default: { usage: '{{default params.name "api"}}', description: 'The value, or the fallback when it is empty or null' },
  add: { usage: '{{add a b}}', description: 'a + b (numbers, or text that is one)' },
  sub: { usage: '{{sub a b}}', description: 'a - b' },
  mul: { usage: '{{mul a b}}', description: 'a × b' },
  div: { usage: '{{div a b}}', description: 'a ÷ b (0 when b is 0)' },
  round: { usage: '{{round a 1}}', description: 'a rounded to the given decimals (default 0)' },
  eq: { usage: '{{#if (eq a "x")}}', description: 'Equal; "20" equals 20' },
  ne: { usage: '{{#if (ne a b)}}', description: 'Not equal' },
  gt: { usage: 'if: "{{gt steps.swap.value 80}}"', description: 'a > b (numbers)' },
  gte: { usage: '{{gte a b}}', description: 'a ≥ b' },
  lt: { usage: '{{lt a b}}', description: 'a < b' },
  lte: { usage: '{{lte a b}}', description: 'a ≤ b' },
  and: { usage: '{{and a b ...}}', description: 'Every argument is true' },
  or: { usage: '{{or a b ...}}', description: 'Some argument is true' },
  not: { usage: '{{not a}}', description: 'The opposite' },
  table: { usage: '{{table steps.pm2.output.processes "name" "status"}}', description: 'A list of rows as an aligned text table (the columns given, or all)' },
};
