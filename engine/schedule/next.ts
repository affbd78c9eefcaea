/** A playbook's schedule, as the format declares it. */
export interface Schedule {
  cron: string;
  timezone?: string;
}

/** The next `count` times the schedule fires after `from`. */
export async function nextRuns(schedule: Schedule, count: number, from = new Date()): Promise<Date[]> {
  const { CronExpressionParser } = await import('cron-parser');
  const expression = CronExpressionParser.parse(schedule.cron, { currentDate: from, tz: schedule.timezone ?? 'UTC' });
  return expression.take(count).map((date) => date.toDate());
}
