import { SLOT } from './scanner.js';

/** A `{{...}}` output of a shell template, with whether it reads an `#each`/`#with` item. */
export interface Output {
  node: any;
  inScopedBlock: boolean;
}

/** One way the template's text can come out: the text with SLOT marks, and the outputs they stand for. */
export interface Variant {
  text: string;
  outputs: Output[];
}

// Enough for a command with a handful of {{#if}}s; past that nobody can review it either.
const MAX_VARIANTS = 256;
const SCOPING = new Set(['each', 'with']);

export class TooManyBranches extends Error {}

/**
 * Every text a shell template can render to, up to its values: each `{{#if}}` taken and not
 * taken, each `{{#each}}` body repeated zero, one and two times. A value is placed with
 * certainty only when it lands in the same place in all of them.
 */
export function variantsOf(body: any[], inScopedBlock = false): Variant[] {
  let variants: Variant[] = [{ text: '', outputs: [] }];
  const append = (more: Variant[]) => {
    const next: Variant[] = [];
    for (const a of variants) for (const b of more) next.push({ text: a.text + b.text, outputs: [...a.outputs, ...b.outputs] });
    if (next.length > MAX_VARIANTS) throw new TooManyBranches();
    variants = next;
  };
  for (const node of body) {
    if (node.type === 'ContentStatement') append([{ text: node.value, outputs: [] }]);
    else if (node.type === 'MustacheStatement') append([{ text: SLOT, outputs: [{ node, inScopedBlock }] }]);
    else if (node.type === 'BlockStatement') append(blockVariants(node, inScopedBlock));
  }
  return variants;
}

function blockVariants(node: any, inScopedBlock: boolean): Variant[] {
  const scoped = inScopedBlock || SCOPING.has(node.path.original);
  const body = variantsOf(node.program?.body ?? [], scoped);
  const inverse = variantsOf(node.inverse?.body ?? [], inScopedBlock);
  if (node.path.original !== 'each') return [...body, ...inverse];
  const twice = body.flatMap((a) => body.map((b) => ({ text: a.text + b.text, outputs: [...a.outputs, ...b.outputs] })));
  return [...inverse, ...body, ...twice];
}
