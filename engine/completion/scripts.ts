import type { CommandSpec, CompletionSpec, OptionSpec } from './spec.js';

/**
 * The completion scripts. Commands and options are written into the script; playbook names are
 * asked of `runbook completion --playbooks` at each TAB (with the `--dir` on the line), so a new
 * playbook completes without reloading the shell.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const words = (options: OptionSpec[]) => options.flatMap((o) => [o.long, o.short].filter((w): w is string => !!w)).join(' ');
const valued = (spec: CompletionSpec) => [...new Set([...spec.globalOptions, ...spec.commands.flatMap((c) => c.options)]
  .filter((o) => o.takesValue).flatMap((o) => [o.long, o.short].filter((w): w is string => !!w)))].join('|');

function bashCandidates(command: CommandSpec, stepTypes: string[]): string {
  switch (command.argument) {
    case 'playbook': return 'COMPREPLY=($(compgen -W "$(runbook ${dir:+--dir "$dir"} completion --playbooks 2>/dev/null)" -- "$cur"))';
    case 'file': return 'COMPREPLY=($(compgen -f -- "$cur"))';
    case 'step-type': return `COMPREPLY=($(compgen -W "${stepTypes.join(' ')}" -- "$cur"))`;
    case 'shell': return `COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur"))`;
    default: return 'COMPREPLY=()';
  }
}

function bash(spec: CompletionSpec, stepTypes: string[]): string {
  const cases = spec.commands.map((command) => `    ${command.name})
      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${words(command.options)}" -- "$cur")); return; fi
      ${bashCandidates(command, stepTypes)} ;;`).join('\n');
  return `# runbook completion for bash: source <(runbook completion bash)
_runbook() {
  local cur prev cmd dir i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -d|--dir) dir="\${COMP_WORDS[i+1]}"; ((i++)) ;;
      ${valued(spec)}) [[ -z "$cmd" ]] || ((i++)) ;;
      -*) ;;
      *) [[ -z "$cmd" ]] && cmd="\${COMP_WORDS[i]}" ;;
    esac
  done
  case "$prev" in
    -d|--dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    ${valued(spec)}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W "${spec.commands.map((c) => c.name).join(' ')} ${words(spec.globalOptions)}" -- "$cur"))
    return
  fi
  case "$cmd" in
${cases}
  esac
}
complete -F _runbook runbook
`;
}

function zsh(spec: CompletionSpec, stepTypes: string[]): string {
  // zsh runs the bash function through its bash compatibility layer.
  return `# runbook completion for zsh: source <(runbook completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(spec, stepTypes).split('\n').slice(1).join('\n')}`;
}

const quoted = (text: string) => `'${text.replace(/'/g, "\\'")}'`;

function fish(spec: CompletionSpec, stepTypes: string[]): string {
  const option = (o: OptionSpec, condition: string) =>
    `complete -c runbook -n ${quoted(condition)}${o.long ? ` -l ${o.long.slice(2)}` : ''}${o.short ? ` -s ${o.short.slice(1)}` : ''}${o.takesValue ? ' -r' : ''} -d ${quoted(o.description)}`;
  const lines = ['# runbook completion for fish: runbook completion fish | source', 'complete -c runbook -f'];
  for (const o of spec.globalOptions) lines.push(option(o, '__fish_use_subcommand'));
  for (const command of spec.commands) {
    const seen = `__fish_seen_subcommand_from ${command.name}`;
    lines.push(`complete -c runbook -n '__fish_use_subcommand' -a ${command.name} -d ${quoted(command.description)}`);
    for (const o of command.options) lines.push(option(o, seen));
    const values = {
      playbook: '(runbook completion --playbooks 2>/dev/null)',
      'step-type': stepTypes.join(' '),
      shell: SHELLS.join(' '),
      file: '(__fish_complete_path)',
      none: '',
    }[command.argument];
    if (values) lines.push(`complete -c runbook -n ${quoted(seen)} -a ${quoted(values)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, spec: CompletionSpec, stepTypes: string[]): string {
  return { bash, zsh, fish }[shell](spec, stepTypes);
}
