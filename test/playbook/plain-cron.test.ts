import { describe, expect, it } from 'vitest';
import { plainCronIsValid } from '../../engine/playbook/plain-cron.js';

const { CronExpressionParser } = await import('cron-parser');
const parses = (expr: string) => {
  try {
    CronExpressionParser.parse(expr, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
};

describe('plain cron expressions are judged without cron-parser', () => {
  it('never calls valid what cron-parser refuses, and knows the everyday schedules', () => {
    const values = ['*', '0', '1', '5', '7', '12', '13', '23', '24', '28', '29', '30', '31', '32', '59', '60', '1-5', '*/5', 'jan', '1,2', 'L', '?', '-1', '007'];
    const exprs: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const pick = (n: number) => values[(i * 7919 + n * 104729 + i * n * 31) % values.length]!;
      exprs.push([0, 1, 2, 3, 4].map(pick).join(' '));
    }
    exprs.push('0 0 31 2 *', '0 0 30 2 *', '0 0 29 2 *', '0 0 31 4 *', '0 0 31 12 *', '0 0 31 * *', '0 0 * 2 7');
    for (const expr of exprs) if (plainCronIsValid(expr.split(' '))) expect(parses(expr), expr).toBe(true);
    for (const expr of ['0 * * * *', '30 1 * * *', '0 3 * * 3', '0 1 * * 5', '0 0 * * 1', '0 0 29 2 *']) expect(plainCronIsValid(expr.split(' ')), expr).toBe(true);
    for (const expr of ['0 0 30 2 *', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', '*/5 * * * *']) expect(plainCronIsValid(expr.split(' ')), expr).toBe(false);
  });
});
