import type { Command } from 'commander';

/** What completion needs to know about the CLI, read from the commander program itself. */
export interface CompletionSpec {
  globalOptions: OptionSpec[];
  commands: CommandSpec[];
}

export interface OptionSpec {
  long?: string;
  short?: string;
  /** Takes a value (`--param <name=value>`): the next word is not completed from our lists. */
  takesValue: boolean;
  description: string;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** What the first argument is: a playbook name, files, a step type, a shell, or free text. */
  argument: 'playbook' | 'file' | 'step-type' | 'shell' | 'none';
}

const ARGUMENTS: Record<string, CommandSpec['argument']> = { name: 'playbook', files: 'file', type: 'step-type', shell: 'shell' };

function optionsOf(command: Command): OptionSpec[] {
  return command.options.filter((option) => !option.hidden).map((option) => ({
    long: option.long,
    short: option.short,
    takesValue: option.required || option.optional,
    description: option.description,
  }));
}

export function completionSpec(program: Command): CompletionSpec {
  return {
    globalOptions: optionsOf(program),
    commands: program.commands.map((command) => ({
      name: command.name(),
      description: command.description().split('\n')[0] ?? '',
      options: optionsOf(command),
      // `new NAME` names a playbook that does not exist yet: nothing to complete.
      argument: command.name() === 'new' ? 'none' : ARGUMENTS[command.registeredArguments[0]?.name() ?? ''] ?? 'none',
    })),
  };
}
