/** A lineage graph as the engine gives it (features.lineage / features.show). */
export interface LineageInput {
  nodes: { id: string; kind: 'feature' | 'source' | 'table' | 'set' | 'consumer'; label: string }[];
  edges: { from: string; to: string }[];
}

export interface PlacedNode {
  id: string;
  kind: LineageInput['nodes'][number]['kind'];
  label: string;
  x: number;
  y: number;
  column: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  path: string;
}

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 30;
/** Vertical space between layers, where the edges run. */
const LAYER_GAP = 34;
const NODE_GAP = 14;
const PAD = 8;

const KIND_ORDER: Record<PlacedNode['kind'], number> = { table: 0, source: 1, feature: 2, set: 3, consumer: 4 };

/**
 * Lays the graph out top to bottom: each node in the layer of its longest path from a root, so data
 * flows down from tables and sources through features to sets and models. Top to bottom because the
 * detail pane is narrow and a lineage is deep (up to six layers) but rarely wide. Small graphs (tens of
 * nodes) need nothing cleverer, and the SVG stays ours (no eval, CSP-safe).
 */
export function layoutLineage(graph: LineageInput): { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number } {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  const incoming = new Map<string, string[]>();
  for (const e of edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from]);
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = column.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle would be a bug upstream; do not loop on it
    visiting.add(id);
    const d = Math.max(-1, ...(incoming.get(id) ?? []).map(depth)) + 1;
    visiting.delete(id);
    column.set(id, d);
    return d;
  };
  for (const n of graph.nodes) depth(n.id);

  const columns = new Map<number, LineageInput['nodes']>();
  for (const n of graph.nodes) {
    const c = column.get(n.id) ?? 0;
    columns.set(c, [...(columns.get(c) ?? []), n]);
  }
  const widest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const width = PAD * 2 + widest * NODE_WIDTH + (widest - 1) * NODE_GAP;
  const placed = new Map<string, PlacedNode>();
  for (const [c, list] of columns) {
    list.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.label.localeCompare(b.label));
    const used = list.length * NODE_WIDTH + (list.length - 1) * NODE_GAP;
    const left = (width - used) / 2;
    list.forEach((n, i) => {
      placed.set(n.id, { ...n, column: c, x: left + i * (NODE_WIDTH + NODE_GAP), y: PAD + c * (NODE_HEIGHT + LAYER_GAP) });
    });
  }
  const layers = Math.max(1, ...[...columns.keys()].map((c) => c + 1));
  const height = PAD * 2 + layers * NODE_HEIGHT + (layers - 1) * LAYER_GAP;
  const placedEdges = edges.map((e) => {
    const a = placed.get(e.from) as PlacedNode;
    const b = placed.get(e.to) as PlacedNode;
    const x1 = a.x + NODE_WIDTH / 2;
    const y1 = a.y + NODE_HEIGHT;
    const x2 = b.x + NODE_WIDTH / 2;
    const y2 = b.y;
    const mid = (y1 + y2) / 2;
    return { from: e.from, to: e.to, path: `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}` };
  });
  return { nodes: [...placed.values()], edges: placedEdges, width, height };
}
