import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const tmp = freshTempDir();

function playbook(name: string, text: string): void {
  writeFileSync(path.join(tmp.dir, `${name}.yaml`), text);
}
const cli = (...args: string[]) => runCli(['--dir', tmp.dir, ...args], { env: cliEnv(path.join(tmp.dir, 'state')) });

describe('values that try to reach where they should not', () => {
  it('a param cannot put `..` into report.path: refused before anything runs', async () => {
    playbook('rep', `title: Rep\nparams:\n  name: { required: true }\nreport: { path: "${tmp.dir}/reports/{{params.name}}.txt" }\nsteps:\n  - name: Touch\n    type: shell\n    run: touch ${tmp.dir}/ran\n`);
    const result = await cli('run', 'rep', '--param', 'name=../escaped');
    expect(result.stderr.trim()).toBe(`runbook: report path "${tmp.dir}/reports/../escaped.txt" gets a \`..\` from a template value: refused; nothing was run`);
    expect(result.code).toBe(3);
    expect(existsSync(path.join(tmp.dir, 'ran'))).toBe(false);
    expect(existsSync(path.join(tmp.dir, 'escaped.txt'))).toBe(false);

    const fine = await cli('run', 'rep', '--param', 'name=ok..not-a-climb');
    expect(fine.code).toBe(0);
    expect(readdirSync(path.join(tmp.dir, 'reports'))).toEqual(['ok..not-a-climb.txt']);
  });

  it('names every object has (`constructor`, `__proto__`...) are refused as params and vars, and read as undeclared', async () => {
    playbook('proto', 'title: Proto\nparams:\n  constructor: { required: false }\nvars:\n  __proto__: 1\nsteps:\n  - name: Echo\n    type: shell\n    run: echo {{params.constructor}} {{vars.hasOwnProperty}}\n');
    const result = await cli('validate', path.join(tmp.dir, 'proto.yaml'));
    const file = path.join(tmp.dir, 'proto.yaml');
    expect(result.stderr).toContain(`${file}:3:3: \`params.constructor\` cannot be declared: every JavaScript object has \`constructor\`; use another name`);
    expect(result.stderr).toContain(`${file}:5:3: \`vars.__proto__\` cannot be declared`);
    expect(result.stderr).toContain(`${file}:9:10: \`vars.hasOwnProperty\` is not declared under \`vars:\``);
    expect(result.code).toBe(3);

    playbook('plain', 'title: Plain\nsteps:\n  - name: Echo\n    type: shell\n    run: echo hi\n');
    const given = await cli('run', 'plain', '--param', 'constructor=x');
    expect(given.stderr.trim()).toBe('runbook: unknown param `constructor`; this playbook takes no params');
    expect(given.code).toBe(3);
  });

  it('a template reads own keys only: `constructor` of a step\'s JSON output is not defined, not Object', async () => {
    playbook('own', `title: Own\nsteps:\n  - id: j\n    name: Print JSON\n    type: shell\n    run: |\n      echo '{"a": {"b": 1}}'\n  - name: Read it\n    type: shell\n    run: echo {{steps.j.output.json.a.b}}{{#if steps.j.output.json.constructor}} inherited{{/if}}\n`);
    const result = await cli('run', 'own');
    expect(result.stdout).toContain('[FAILED] Read it: template: "steps.j.output.json.constructor" is not defined');
    expect(result.stdout).not.toContain('inherited');
    expect(result.code).toBe(2);
  });

  it('a value too big for a command line is named with the limit, not a bare `spawn E2BIG`', async () => {
    const big = 'a'.repeat(300 * 1024);
    playbook('big', `title: Big\nparams:\n  blob: { default: "${big}" }\nsteps:\n  - id: gen\n    name: Make a megabyte\n    type: shell\n    run: head -c 1048576 /dev/zero | tr -c b b\n  - name: Use it in the command\n    type: shell\n    continue_on_error: true\n    run: echo {{steps.gen.output.stdout}} | wc -c\n  - name: Use the param in env\n    type: shell\n    env: { BLOB: "{{params.blob}}" }\n    run: printf %s "$BLOB" | wc -c\n`);
    const result = await cli('run', 'big', '--json');
    const steps = (JSON.parse(result.stdout) as { steps: { error?: string }[] }).steps;
    const limit = 'one argument or environment variable can hold at most 128 KiB: pass large data through a file';
    expect(steps[1]!.error).toBe(`could not start: the command (\`run\`) is 1.0 MiB (\`steps.gen.value\` is 1.0 MiB, \`steps.gen.output.stdout\` is 1.0 MiB); ${limit}`);
    expect(steps[2]!.error).toBe(`could not start: env \`BLOB\` is 300 KiB (\`params.blob\` is 300 KiB); ${limit}`);
    expect(result.stderr).not.toContain('E2BIG');
    expect(result.code).toBe(2);
  });
});
