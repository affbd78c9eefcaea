import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../engine/redact.js';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';
import { startHttpServer, type TestHttpServer } from '../support/servers.js';

// Characters that URL and form encoding change, so each encoded form differs from the raw one.
const SECRET = 'tok en/4&x=9';
const FORMS = [SECRET, encodeURIComponent(SECRET), encodeURIComponent(SECRET).replaceAll('%20', '+')];

describe('the redactor on keys and encodings', () => {
  const r = new Redactor([SECRET]);

  it('masks a secret used as an object key, at any depth, keeping keys apart', () => {
    const masked = r.deep({ [SECRET]: 1, nested: [{ [`user ${SECRET}`]: { [SECRET]: 'x' } }], '***': 'was here' });
    expect(masked).toEqual({ '***': 1, nested: [{ 'user ***': { '***': 'x' } }], '*** (2)': 'was here' });
    expect(JSON.stringify(masked)).not.toContain('tok en');
  });

  it('masks the URL-encoded and form-encoded forms, and the form escaped in a JSON string', () => {
    expect(r.text(`?q=${encodeURIComponent(SECRET)}&r=${FORMS[2]}`)).toBe('?q=***&r=***');
    expect(new Redactor(['pa"ss\\word']).text(JSON.stringify({ p: 'pa"ss\\word' }))).toBe('{"p":"***"}');
  });

  it('keeps a `__proto__` key an own key, not a prototype', () => {
    const masked = r.deep(JSON.parse('{"__proto__": {"polluted": 1}}') as object);
    expect(Object.keys(masked)).toEqual(['__proto__']);
    expect((masked as { polluted?: number }).polluted).toBeUndefined();
  });
});

describe('a secret in step output keys and encodings never leaves the run', () => {
  const work = freshTempDir();
  let http: TestHttpServer;
  beforeAll(async () => {
    http = await startHttpServer({ '/hook': () => ({ body: 'ok' }) });
  });
  afterAll(() => http.close());

  const allText = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((name) => path.join(dir, name))
      .filter((file) => statSync(file).isFile() && !file.endsWith('.yaml'))
      .map((file) => readFileSync(file, 'utf8'));

  it('--json, the record, the JSON report and the webhook payload all mask it', async () => {
    writeFileSync(path.join(work.dir, 'leak.yaml'), `title: Leak
env:
  TOKEN: { required: true, secret: true }
report: { path: "${work.dir}/report.json", format: json }
steps:
  - id: out
    name: Print it as a key and encoded
    type: shell
    env: { T: "{{env.TOKEN}}" }
    run: |
      node -e 'const t = process.env.T; console.log(JSON.stringify({ [t]: encodeURIComponent(t), form: new URLSearchParams({ t }).toString() }))'
  - name: Tell the hook
    type: notify
    message: "{{steps.out.output.stdout}}"
    channels:
      webhook: { url: "${http.url}/hook" }
`);
    const result = await runCli(['--dir', work.dir, 'run', 'leak', '--json'], { env: cliEnv(path.join(work.dir, 'state'), { TOKEN: SECRET }) });
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout) as { steps: { output: { json: object } }[] };
    expect(record.steps[0]!.output.json).toEqual({ '***': '***', form: 't=***' });
    expect(http.to('/hook')).toHaveLength(1);
    for (const text of [result.stdout, result.stderr, http.to('/hook')[0]!.body, ...allText(work.dir)]) {
      for (const form of FORMS) expect(text).not.toContain(form);
    }
    expect(readFileSync(path.join(work.dir, 'report.json'), 'utf8')).toContain('"***": "***"');
  });
});
