import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../engine/playbook/schema.js';

type Node = { title?: string; description?: string; properties?: Record<string, Node>; items?: Node; additionalProperties?: Node | boolean; oneOf?: Node[] };

/** Every property of the schema, top level included, by a readable path. */
function properties(node: Node, at: string): [string, Node][] {
  const own = Object.entries(node.properties ?? {}).flatMap(([key, child]) => [[`${at}.${key}`, child] as [string, Node], ...properties(child, `${at}.${key}`)]);
  const inner = [node.items, typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined, ...(node.oneOf ?? [])]
    .flatMap((child) => (child ? properties(child, `${at}${child.title ? `<${child.title}>` : '[]'}`) : []));
  return [...own, ...inner];
}

describe('the JSON schema', () => {
  it('describes every property (editors show it on hover)', () => {
    const found = properties(buildSchema() as Node, 'playbook');
    expect(found.length).toBeGreaterThan(100);
    expect(found.filter(([, node]) => !node.description).map(([at]) => at)).toEqual([]);
  });
});
