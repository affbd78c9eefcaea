import { describe, expect, it } from 'vitest';
import { conditionWords, templateWords } from '../../engine/template/words.js';

const scope = { vars: { limit: 80 }, steps: { scan: 'Log scan', room: 'Memory to spare', size: 'Database size', pm2: 'PM2 list' } };

describe('templates in words, for checklists', () => {
  it.each([
    ['{{eq steps.scan.status "ok"}}', '“Log scan” worked'],
    ['{{ne steps.scan.status "ok"}}', '“Log scan” did not work'],
    ['{{eq steps.scan.level "critical"}}', '“Log scan” is critical'],
    ['{{gte steps.room.value 0}}', 'the value of “Memory to spare” is at least 0'],
    ['{{gt steps.pm2.output.online vars.limit}}', 'online from “PM2 list” is above 80'],
    ['{{and (eq steps.scan.status "ok") (not params.force)}}', '“Log scan” worked and not (the param force is given)'],
    ['{{env.SLACK_WEBHOOK}}', '$SLACK_WEBHOOK is set'],
    ['{{#if previous}}yes{{/if}}', 'yes, if there is a previous run (else empty) is not empty'],
  ])('%s reads as %s', (source, words) => {
    expect(conditionWords(source, scope)).toBe(words);
  });

  it('puts each value into angle brackets and leaves the text around it', () => {
    expect(templateWords('{{#if previous}}{{#with (lookup previous.steps \'size\')}}{{value}}{{/with}}{{/if}}', scope))
      .toBe('<the value of “Database size” in the previous run, if there is a previous run (else empty)>');
    expect(templateWords('{{json steps.pm2.output.processes}} at {{date "YYYY-MM-DD"}} over {{vars.limit}} for {{params.app}} to {{env.TO}}', scope))
      .toBe('<processes from “PM2 list” as JSON> at YYYY-MM-DD over 80 for <app> to $TO');
  });
});
