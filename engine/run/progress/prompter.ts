import type { Prompter } from '../../steps/types.js';

/** Questions at the terminal through inquirer (loaded only when a question is asked). */
export const terminalPrompter: Prompter = {
  async confirm(message) {
    const { default: confirm } = await import('@inquirer/confirm');
    return confirm({ message, default: false });
  },
  async choose(message, choices) {
    const { default: select } = await import('@inquirer/select');
    return select({ message, choices });
  },
};
