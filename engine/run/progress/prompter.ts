import type { Prompter } from '../../steps/types.js';

/**
 * Questions at the terminal through inquirer (loaded only when a question is asked). The
 * terminal is in raw mode while inquirer asks, so Ctrl-C arrives as a key, not as SIGINT:
 * `onCtrlC` turns it back into the run's interrupt.
 */
export function terminalPrompter(onCtrlC: () => void): Prompter {
  const asked = async <T>(ask: Promise<T>): Promise<T> => {
    try {
      return await ask;
    } catch (error) {
      if ((error as Error).name === 'ExitPromptError') onCtrlC();
      throw error;
    }
  };
  return {
    async confirm(message, signal) {
      const { default: confirm } = await import('@inquirer/confirm');
      return asked(confirm({ message, default: false }, { signal }));
    },
    async choose(message, choices, signal) {
      const { default: select } = await import('@inquirer/select');
      return asked(select({ message, choices }, { signal }));
    },
  };
}
