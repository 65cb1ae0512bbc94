/** Result of ordering named nodes by their dependencies. */
export type DependencyOrder = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Orders `nodes` (name -> names it depends on, all known) so each comes after its dependencies,
 * keeping declaration order where dependencies allow it. On a cycle, returns one cycle as
 * `[a, b, ..., a]`.
 */
export function dependencyOrder(nodes: ReadonlyMap<string, readonly string[]>): DependencyOrder {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  let cycle: string[] | null = null;

  const visit = (node: string): void => {
    if (cycle || state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      cycle = [...path.slice(path.indexOf(node)), node];
      return;
    }
    state.set(node, 'visiting');
    path.push(node);
    for (const dependency of nodes.get(node) ?? []) visit(dependency);
    path.pop();
    state.set(node, 'done');
    order.push(node);
  };

  for (const node of nodes.keys()) visit(node);
  return cycle ? { ok: false, cycle } : { ok: true, order };
}
