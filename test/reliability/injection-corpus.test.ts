import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusedInterpolations } from '../../engine/template/render.js';
import { shellPolicy } from '../../engine/template/shell/taint.js';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const policy = shellPolicy({ params: { x: {}, n: { pattern: '^\\d+$' }, word: { pattern: '^[\\w.-]+$' }, pick: { enum: ['api', 'worker'] } }, vars: { limit: 5, file: 'a.txt' } });

// Places the scanner does not model, or where a free value would be code for another program.
// Each ran a command carried by a value before the allowlist (issue 9) or is its close kin.
const REFUSED: [string, RegExp][] = [
  ['echo $(( {{params.x}} + 1 ))', /arithmetic/],
  ['[[ {{params.x}} -eq 1 ]]', /runs code .*\[\[ -eq/],
  ['let n={{params.x}}', /runs code .*let/],
  ['x={{params.x}}; echo $((x + 1))', /runs code .*arithmetic/],
  ['(( {{params.n}} > 1 ))', /arithmetic/],
  ['echo "${U:-"{{params.x}}"}"', /inside \$\{\.\.\.\}|cannot read for certain/],
  ['echo "$(case a in a) echo {{params.x}};; esac)"', /`case`/],
  ['f() { echo {{params.x}}; }', /`\(` right after a word/],
  ['a=( {{params.x}} )', /`\(` right after a word/],
  ['a[{{params.x}}]=1', /array subscript/],
  ['cat <<1\n{{params.x}}\n1', /here-document/],
  ['cat <<END-X\n{{params.x}}\nEND-X', /here-document/],
  ['cat <<-"E O F"\n\t{{params.x}}\n\tE O F', /here-document/],
  ['echo "C:\\\\{{params.x}}"', /after a backslash/],
  ['echo \\\\{{params.x}}', /after a backslash/],
  ['echo ${{params.x}}', /right after a \$/],
  ['echo `echo {{params.x}}`', /backticks/],
  ["echo $'{{params.x}}'", /\$'\.\.\.'/],
  ['echo hi # {{params.x}}', /comment/],
  ["sh -c 'echo {{params.x}}'", /inside '\.\.\.'/],
  ['sh -c "echo {{params.x}}"', /runs code .*\bsh\b/],
  ['bash -c "echo {{params.word}}"', /runs code .*bash/],
  ['eval echo {{params.x}}', /runs code .*eval/],
  ["awk '{ print \"{{params.x}}\" }'", /inside '\.\.\.'/],
  ['awk -v v={{params.x}} "BEGIN { print v }"', /runs code .*awk/],
  ["python3 -c 'print({{params.x}})'", /inside '\.\.\.'/],
  ['python3.11 -c "print({{params.x}})"', /runs code .*python3\.11/],
  ['perl -e "print {{params.word}}"', /runs code .*perl/],
  ['echo {{params.x}} | sh', /runs code .*sh/],
  ['echo {{params.x}} | xargs rm', /runs code .*xargs/],
  ['find . -name {{params.x}} -exec rm {} +', /runs code .*find/],
  ['sudo -u app bash -c "{{params.x}}"', /runs code .*sudo/],
  ['timeout 5 sh -c "echo {{params.x}}"', /runs code .*timeout with a computed argument/],
  ['su -c "echo {{params.x}}" app', /runs code .*su/],
  ['ssh host echo {{params.x}}', /runs code .*ssh/],
  ['psql -c "select {{params.x}}"', /runs code .*psql/],
  ['read "{{params.x}}"', /runs code .*read with a computed variable name/],
  ['echo "on {{host.hostname}}" | sh', /runs code .*sh/],
  ['echo {{#default params.x}}{{/default}}', /\{\{#default\}\} is not allowed here/],
  ['echo {{#json params.x}}{{/json}}', /\{\{#json\}\} is not allowed here/],
  ['echo {{{{default params.x}}}}{{{{/default}}}}', /is not allowed here/],
  ['df -h >& "/tmp/{{params.x}}.log"', /runs code .*bash expands twice/],
  ['x={{params.x}}\nf() { :; }\neval "$x"', /runs code .*cannot read for certain/],
  ['x={{params.x}}; y=`eval "$x"`', /runs code .*backticks/],
  ['x={{params.x}}\ncat <<EOF\n$(eval "$x")\nEOF', /runs code .*command substitution in a here-document/],
  ['x={{params.x}}; echo "${y:-$(sh -c "$x")}"', /runs code .*cannot read for certain/],
  ['cat <<EOF\nfoo\\\nEOF\necho {{params.x}}\nEOF', /line ending in \\/],
  ['echo "$\\\n{{params.x}}"', /right after a \$/],
  ['if [[ -z "$a" || {{params.x}} == c ]]; then :; fi', /choose the command/],
  ["echo $'it\\'s' \"{{params.x}}\"", /sh and bash read it differently/],
  ['true &>/dev/null {{params.x}}', /sh and bash read it differently/],
  ['ref={{params.x}}; echo "${!ref}"', /runs code .*which bash evaluates/],
  ['echo "${s:n}" {{params.x}}', /runs code .*which bash evaluates/],
  ['echo "${x@P}" {{params.x}}', /runs code .*which bash evaluates/],
  ['declare -ri n={{params.x}}', /runs code .*declare -ri/],
  ['printf -v{{params.x}} %s 1', /runs code .*printf -v/],
  ['PS4={{params.x}}; set -x', /assigned to PS4/],
  ['time -p sh -c "echo {{params.x}}"', /runs code/],
  ['npx -c "echo {{params.x}}"', /runs code .*npx/],
  ['pm2 start --name job {{params.x}}', /runs code .*pm2/],
  ["echo x | sed 's/x/y/{{params.word}}'", /inside '\.\.\.'/],
  ['test -v {{params.x}}', /runs code .*test -v/],
  ['$CMD {{params.x}}', /runs code .*computed/],
  ['{{params.x}} --version', /choose the command/],
  ['{{params.word}} --version', /choose the command/],
  ['echo {{params.x}}; sh -c "$0"', /runs code .*sh/],
  ['echo {{#if params.x}}"{{/if}}{{params.x}}', /leaves a quote/],
  ['echo "{{params.x}}', /leaves a quote/],
  ['echo {{env.TOKEN}} | python3', /runs code .*python3/],
  ["awk '{ print {{steps.a.output.stdout}} }'", /inside '\.\.\.'/],
  ["grep '{{vars.file}}' x", /inside '\.\.\.'/],
];

// Places that stay open to values, by what a value is.
const ACCEPTED = [
  'grep -n -B2 -A25 -- {{params.word}} {{vars.file}}',
  'grep -n max_memory {{params.x}} || echo "no max_memory_restart in {{params.x}}"',
  "sh -c 'sleep {{params.n}}'",
  'time -p pm2 jlist',
  "awk '$3 > {{vars.limit}} { print }' /proc/loadavg",
  'pm2 describe {{params.pick}}',
  '{{params.pick}} --version',
  'echo {{add params.x 1}} | sh',
  'echo "run {{run.id}} of {{playbook.name}}" | sh',
  'echo "$(date) {{params.x}}"',
  'X=$(printf %s {{params.x}}); echo "$X"',
  'echo "${HOME}{{params.x}}"',
  'timeout 5 sh -c "sleep {{params.n}}"',
];

describe('the shell allowlist: a corpus of refused and accepted places', () => {
  it.each(REFUSED)('refuses %j', (template, why) => {
    const problems = refusedInterpolations(template, policy);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(why);
    expect(problems.join('\n')).toMatch(/env: \{ [A-Z_]+: "\{\{|this command|not allowed here/);
  });

  it.each(ACCEPTED)('accepts %j', (template) => {
    expect(refusedInterpolations(template, policy)).toEqual([]);
  });
});

describe('a playbook with refused templates', () => {
  const work = freshTempDir();

  it('fails validation with file:line:col and the safe form, and runs nothing', async () => {
    const marker = path.join(work.dir, 'pwned');
    const file = path.join(work.dir, 'second-order.yaml');
    writeFileSync(file, [
      'title: Second-order injection',
      'params:',
      '  x: { required: true }',
      'steps:',
      '  - name: Through sh -c',
      '    type: shell',
      `    run: sh -c "echo {{params.x}}"`,
      '  - name: Through awk',
      '    type: shell',
      `    run: awk 'BEGIN { print "{{params.x}}" }'`,
      '',
    ].join('\n'));
    const validate = await runCli(['validate', file], { env: cliEnv(work.dir) });
    expect(validate.code).toBe(3);
    expect(validate.stdout + validate.stderr).toContain(`${file}:7:10: {{params.x}} is in a command that runs code from its arguments or input (sh), and it is free text`);
    expect(validate.stdout + validate.stderr).toContain(`${file}:10:10: {{params.x}} is inside '...'`);
    expect(validate.stdout + validate.stderr).toContain('env: { X: "{{params.x}}" } and "$X" in the command');
    const run = await runCli(['--dir', work.dir, 'run', 'second-order', '--param', `x=$(touch ${marker})`], { env: cliEnv(work.dir) });
    expect(run.code).toBe(3);
    expect(existsSync(marker)).toBe(false);
  });

  it('the safe form passes the same value through env, byte for byte', async () => {
    const value = `"$(touch ${path.join(work.dir, 'pwned')})'; exit 9`;
    writeFileSync(path.join(work.dir, 'safe.yaml'), [
      'title: The safe form',
      'params:',
      '  x: { required: true }',
      'steps:',
      '  - name: Through env',
      '    type: shell',
      '    env: { X: "{{params.x}}" }',
      `    run: sh -c 'printf %s "$X"'`,
      '',
    ].join('\n'));
    const run = await runCli(['--dir', work.dir, 'run', 'safe', '--json', '--param', `x=${value}`], { env: cliEnv(work.dir) });
    expect(JSON.parse(run.stdout).steps[0].output.stdout).toBe(value);
    expect(existsSync(path.join(work.dir, 'pwned'))).toBe(false);
    expect(execFileSync('ls', [work.dir], { encoding: 'utf8' })).not.toContain('pwned');
  });
});
