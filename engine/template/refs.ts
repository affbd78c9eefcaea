import { parseTemplate } from './render.js';

/** What a template reads: the data paths it uses from the top context, and the helpers it calls. */
export interface TemplateRefs {
  paths: string[][];
  helpers: string[];
  /** Uses partials or inline templates, which nothing here can check. */
  partials: boolean;
}

// Block helpers that change the context: paths inside their bodies are relative to an item.
const SCOPING_BLOCKS = new Set(['each', 'with']);

/** Walks a template's AST; throws on a syntax error. */
export function templateRefs(source: string): TemplateRefs {
  const refs: TemplateRefs = { paths: [], helpers: [], partials: false };
  const visit = (node: any, scoped: boolean): void => {
    if (!node || typeof node !== 'object') return;
    switch (node.type) {
      case 'PathExpression':
        if (node.data) return; // @index, @root...
        if (!scoped && node.parts.length > 0 && node.original !== 'this') refs.paths.push(node.parts);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const isCall = node.type !== 'MustacheStatement' || node.params.length > 0 || node.hash?.pairs.length > 0;
        if (isCall) refs.helpers.push(node.path.original);
        else visit(node.path, scoped);
        node.params.forEach((param: unknown) => visit(param, scoped));
        node.hash?.pairs.forEach((pair: any) => visit(pair.value, scoped));
        const inner = scoped || (node.type === 'BlockStatement' && SCOPING_BLOCKS.has(node.path.original));
        node.program?.body.forEach((child: unknown) => visit(child, inner));
        node.inverse?.body.forEach((child: unknown) => visit(child, scoped));
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        refs.partials = true;
        return;
      default:
        return;
    }
  };
  parseTemplate(source).body.forEach((node) => visit(node, false));
  return refs;
}
