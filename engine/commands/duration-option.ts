import { parseDuration } from '../duration.js';
import { errorMessage, RunbookError } from '../errors.js';

/** A duration option, or a BAD_ARGUMENT naming the option. */
export function durationOption(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new RunbookError('BAD_ARGUMENT', `${flag}: ${errorMessage(error)}`);
  }
}
