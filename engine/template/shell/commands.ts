/**
 * Which simple commands run code taken from their arguments or their input: a value that
 * reaches one of them as data of the step's shell is still a program for the next interpreter
 * (second-order injection), so free-text values are refused in any command text that has one.
 */

// Interpreters, and commands that evaluate an argument as code, arithmetic or a variable name.
const RUNS_CODE = new Set([
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'ksh93', 'mksh', 'ash', 'yash', 'posh', 'fish', 'csh', 'tcsh', 'busybox', 'toybox',
  'eval', 'source', '.', 'su', 'ssh', 'rsh', 'scp', 'rsync', 'tar', 'git', 'docker', 'podman', 'kubectl',
  'awk', 'gawk', 'mawk', 'nawk', 'sed', 'gsed', 'ed', 'ex', 'vi', 'vim', 'nvim', 'emacs',
  'perl', 'ruby', 'irb', 'node', 'nodejs', 'deno', 'bun', 'php', 'lua', 'luajit', 'tclsh', 'wish', 'expect',
  'python', 'python2', 'python3', 'pypy', 'pypy3', 'R', 'Rscript', 'osascript', 'pwsh', 'powershell',
  'jq', 'yq', 'gojq', 'psql', 'mysql', 'mariadb', 'sqlite3', 'redis-cli', 'mongo', 'mongosh', 'cqlsh', 'clickhouse-client',
  'm4', 'make', 'gmake', 'cmake', 'gdb', 'at', 'batch', 'crontab', 'parallel', 'watch', 'script', 'flock', 'xargs',
  'let', 'trap', 'alias', 'rbash', 'tsx', 'ts-node', 'npm', 'npx', 'pnpm', 'yarn', 'pip', 'pip3', 'pipx', 'uv', 'gem',
  'tmux', 'screen', 'perf', 'setarch', 'setpriv', 'fakeroot', 'ssh-agent', 'dbus-run-session', 'sshpass', 'autossh',
  'docker-compose', 'k3s', 'ansible', 'ansible-playbook', 'gcloud', 'pm2', 'busctl',
]);
// Versioned interpreter names: python3.11, perl5.36, lua5.4, php8.2.
const VERSIONED = /^(python|pypy|perl|ruby|php|lua|node|tclsh|wish)[\d.]+$/;

// Commands that run the command named in their arguments (`sudo -u app bash -c ...`).
const WRAPPERS = new Set([
  'sudo', 'doas', 'env', 'nice', 'nohup', 'timeout', 'time', 'command', 'builtin', 'exec', 'setsid', 'stdbuf', 'ionice',
  'chroot', 'taskset', 'strace', 'ltrace', 'unshare', 'nsenter', 'runuser', 'chrt', 'systemd-run', 'cgexec', 'firejail',
  'numactl', 'prlimit', 'valgrind', 'catchsegv', 'sg',
]);

// `find -exec` wraps the command after it.
const FIND_EXEC = ['-exec', '-execdir', '-ok', '-okdir'];
// Options that make bash evaluate an operand as arithmetic or a subscripted name: `test -v 'a[$(id)]'`,
// `[[ $x -eq 1 ]]` (and with it whatever a variable holds), `declare -i`/`-n`/`-a`, `printf -vNAME`.
const ATTRIBUTES = /^-[A-Za-z]*[inaA]/;
const RUNS_CODE_WITH = new Map([
  ['test', /^-[vR]$/], ['[', /^-[vR]$/], ['printf', /^-v/], ['[[', /^-(?:eq|ne|lt|le|gt|ge|v|R)$/],
  ['declare', ATTRIBUTES], ['typeset', ATTRIBUTES], ['local', ATTRIBUTES], ['readonly', ATTRIBUTES], ['export', ATTRIBUTES],
]);
// Builtins that take variable names, whose subscripts bash evaluates: `read "$name"` with a name
// of `a[$(id)]` runs id. Literal names (`read -r line`, `local x="$1"`) are safe.
const NAME_BUILTINS = new Set(['read', 'unset', 'declare', 'typeset', 'local', 'readonly', 'export', 'mapfile', 'readarray', 'getopts', 'wait']);

/** A word of a command as far as the scanner could read it. */
export interface Arg {
  /** Literal text after quote removal; null when an expansion or a value is part of it. */
  text: string | null;
  /** `NAME=...` with a literal NAME (the value may be computed). */
  assignment: boolean;
  /** The literal start of the word (all of it when `text` is not null): `-v` of `-v{{x}}`. */
  prefix: string;
}

function basename(word: string): string {
  return word === '/' ? word : word.replace(/\/+$/, '').replace(/^.*\//, '');
}

function runsCodeItself(word: string): boolean {
  const base = basename(word);
  return RUNS_CODE.has(base) || VERSIONED.test(base);
}

/**
 * Why a simple command runs code from its arguments or input, or undefined when it does not.
 * `name` is the command word's literal text (null when it is computed: `$CMD`, a template);
 * `args` likewise. A wrapper with a computed argument might be running anything.
 */
export function runsCode(name: string | null, args: Arg[]): string | undefined {
  if (name === null) return 'a command whose name is computed';
  const base = basename(name);
  if (runsCodeItself(name)) return base;
  const texts = args.map((arg) => arg.text);
  if (WRAPPERS.has(base) || (base === 'find' && FIND_EXEC.some((option) => texts.includes(option)))) {
    if (texts.includes(null)) return `${base} with a computed argument`;
    const inner = texts.find((text) => runsCodeItself(text!));
    return inner === undefined ? undefined : `${base} … ${basename(inner!)}`;
  }
  const options = RUNS_CODE_WITH.get(base);
  const flag = options && args.map((arg) => arg.prefix).find((prefix) => options.test(prefix));
  if (flag) return `${base} ${flag}`;
  if (NAME_BUILTINS.has(base) && args.some((arg) => arg.text === null && !arg.assignment)) return `${base} with a computed variable name`;
  return undefined;
}

/** Reserved words that keep the next word in command position (`if cmd`, `! cmd`, `{ cmd; }`). */
export const LEADING_KEYWORDS = new Set(['!', '{', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'time']);
/** Reserved words that end a compound command. */
export const CLOSING_KEYWORDS = new Set(['fi', 'done', '}']);
/** Constructs the scanner does not model: nothing after them can be placed with certainty. */
export const UNMODELED_KEYWORDS = new Set(['case', 'esac', 'function', 'coproc', 'select']);

// Variables whose value some program runs as code or uses to find what to run (bash's PS4 and
// BASH_ENV, the loader's LD_PRELOAD, git's GIT_SSH_COMMAND...): a free value is refused there.
const CODE_VARIABLES = new Set([
  'BASH_ENV', 'ENV', 'PS0', 'PS1', 'PS2', 'PS3', 'PS4', 'PROMPT_COMMAND', 'PATH', 'IFS', 'SHELLOPTS', 'BASHOPTS', 'CDPATH', 'FPATH',
  'GLOBIGNORE', 'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'RUBYOPT', 'RUBYLIB',
  'NODE_OPTIONS', 'NODE_PATH', 'PAGER', 'EDITOR', 'VISUAL', 'MANPAGER', 'LESSOPEN', 'LESSCLOSE', 'BROWSER',
  'SSH_ASKPASS', 'SUDO_ASKPASS',
]);
const CODE_PREFIXES = /^(?:LD_|BASH_FUNC_|GIT_)/;

/** True for a variable whose value some program runs as code. */
export function codeVariable(name: string): boolean {
  return CODE_VARIABLES.has(name) || CODE_PREFIXES.test(name);
}
