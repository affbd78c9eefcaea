import { codeVariable } from './commands.js';
import { type Place, type Placement, scanShell } from './scanner.js';
import { originOf, type Origin, type ShellPolicy } from './taint.js';
import { TooManyBranches, variantsOf } from './variants.js';

/** How an accepted value is rendered. */
export interface Accepted {
  quote: Place['quote'];
  /** Re-check at render time that the value holds only inert characters (a `checked` origin in a code place). */
  inert: boolean;
  /** Refuse a value that starts with `-` at render time: it would be read as an option. */
  noOption: boolean;
}

export type Decision = Accepted | { refused: string };

export interface Placed {
  node: any;
  decision: Decision;
}

// Names the shell or the system already gives a meaning to.
const SHELL_VARIABLES = new Set(['HOME', 'USER', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'TERM', 'LANG', 'TZ', 'TMPDIR', 'HOSTNAME', 'UID', 'EUID', 'PPID', 'RANDOM', 'SECONDS', 'LINENO', 'OPTIND', 'OPTARG', 'REPLY', 'MAIL', 'IFS']);

const FREE_WHY: Record<string, string> = {
  single: "is inside '...', where quoting for this shell does not stop the program in the quotes from reading it as code",
  commandName: 'would choose the command to run',
};

/** The name of what a mustache reads, for messages: `params.x`, `default env.A "b"`. */
export function sourceOf(node: any): string {
  const parts = [node.path.original ?? String(node.path.value), ...node.params.map((param: any) => param.original ?? JSON.stringify(param.value))];
  return parts.join(' ');
}

/** The safe form, named after what the value holds. */
function envHint(node: any): string {
  const last = String(node.params[0]?.original ?? node.path.original ?? 'value').split('.').pop()!;
  const plain = last.replace(/\W/g, '_').toUpperCase() || 'VALUE';
  // `{{params.path}}` must not suggest PATH (nor HOME, IFS, PS4...).
  const name = codeVariable(plain) || SHELL_VARIABLES.has(plain) ? `VALUE_${plain}` : plain;
  return `pass it through the step's env instead: env: { ${name}: "{{${sourceOf(node)}}}" } and "$${name}" in the command`;
}

function combine(placements: Placement[]): Placement {
  const refused = placements.find((placement) => 'refused' in placement);
  if (refused) return refused;
  const places = placements as Place[];
  if (new Set(places.map((place) => place.quote)).size > 1) return { refused: 'lands in different quoting depending on an {{#if}} or {{#each}}' };
  return {
    quote: places[0]!.quote,
    commandName: places.some((place) => place.commandName),
    optionPosition: places.some((place) => place.optionPosition),
  };
}

function decide(place: Placement, origin: Origin, runsCode: string | undefined): Decision {
  if ('refused' in place) return place;
  if (place.commandName && origin !== 'author') return { refused: FREE_WHY.commandName! };
  const codePlace = place.quote === 'single' || runsCode !== undefined;
  if (origin === 'free' && codePlace) {
    const why = place.quote === 'single' ? FREE_WHY.single! : `is in a command that runs code from its arguments or input (${runsCode})`;
    return { refused: `${why}, and it is free text` };
  }
  return { quote: place.quote, inert: origin === 'checked' && codePlace, noOption: origin !== 'author' && place.optionPosition };
}

/**
 * Decides, for every `{{...}}` output of a shell template, whether and how its value goes in:
 * the scanner says where it lands in every way the template can come out, the policy says
 * where the value comes from.
 */
export function placeOutputs(program: { body: any[] }, policy: ShellPolicy, helpers: Set<string>): Placed[] {
  let variants;
  try {
    variants = variantsOf(program.body);
  } catch (error) {
    if (!(error instanceof TooManyBranches)) throw error;
    return [{ node: null, decision: { refused: 'has too many {{#if}}/{{#each}} branches to check: split the command' } }];
  }
  const byNode = new Map<any, { placements: Placement[]; scoped: boolean }>();
  let runsCode: string | undefined;
  // Read as dash and as bash: a value must land in the same place for both (`shell: sh|bash`).
  for (const variant of variants) {
    for (const dialect of ['sh', 'bash'] as const) {
      const scan = scanShell(variant.text, dialect);
      runsCode ??= scan.runsCode;
      variant.outputs.forEach((output, k) => {
        const entry = byNode.get(output.node) ?? { placements: [], scoped: output.inScopedBlock };
        entry.placements.push(scan.placements[k]!);
        byNode.set(output.node, entry);
      });
    }
  }
  return [...byNode].map(([node, { placements, scoped }]) => ({
    node,
    decision: decide(combine(placements), originOf(node, policy, scoped, helpers), runsCode),
  }));
}

/** The one-line refusal of a value, with the safe form. */
export function refusal(node: any, why: string): string {
  return node ? `{{${sourceOf(node)}}} ${why}: ${envHint(node)}` : `this command ${why}`;
}
