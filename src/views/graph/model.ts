/**
 * The entity graph of a result: the accounts, hosts, addresses, URLs, files and processes the
 * bookmark dialog detects in its rows, linked when they occur in the same row, laid out by
 * d3-force.
 */
import {
  forceCenter,
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationLinkDatum,
  type SimulationNodeDatum
} from 'd3-force';
import { entityOccurrences } from '../../bookmarks/entities';
import type { IColumnInfo } from '../../tokens';

/** Most entities drawn: the ones in most rows are kept, so the picture stays readable. */
export const MAX_GRAPH_ENTITIES = 150;

/** An entity of the graph. */
export interface IGraphEntity {
  /** Unique within the graph. */
  readonly id: string;
  /** Sentinel entity type: `Account`, `Host`, `IP`, `URL`, `File`, `Process`… */
  readonly entityType: string;
  /** The identifier the value fills, e.g. `FullName`. */
  readonly identifier: string;
  readonly value: string;
  /** The column it was first read from. */
  readonly column: string;
  /** Rows it occurs in, ascending. */
  readonly rows: readonly number[];
}

/** Two entities in the same rows. */
export interface IGraphLink {
  readonly source: string;
  readonly target: string;
  /** Rows holding both, ascending; their number is the link's weight. */
  readonly rows: readonly number[];
}

/** The graph of a result. */
export interface IEntityGraph {
  /** Entities drawn, the ones in most rows first. */
  readonly entities: readonly IGraphEntity[];
  readonly links: readonly IGraphLink[];
  /** Entities detected in all, drawn or not. */
  readonly detected: number;
}

/**
 * The entity graph of `rows`. Bare process ids are left out: a number alone names no process
 * across hosts and would link unrelated rows.
 */
export function buildEntityGraph(
  columns: readonly IColumnInfo[],
  rows: readonly Record<string, unknown>[],
  limit = MAX_GRAPH_ENTITIES
): IEntityGraph {
  const all = entityOccurrences(columns, rows).filter(
    o =>
      !(
        o.entity.entityType === 'Process' && o.entity.identifier === 'ProcessId'
      )
  );
  // Stable sort: among entities in as many rows, the first detected comes first.
  const kept = all
    .map((occurrence, order) => ({ occurrence, order }))
    .sort(
      (a, b) =>
        b.occurrence.rows.length - a.occurrence.rows.length || a.order - b.order
    )
    .slice(0, limit)
    .map(({ occurrence }, i) => ({
      id: `e${i}`,
      entityType: occurrence.entity.entityType,
      identifier: occurrence.entity.identifier,
      value: occurrence.entity.value,
      column: occurrence.entity.column,
      rows: occurrence.rows
    }));
  const byRow = new Map<number, number[]>();
  kept.forEach((entity, index) => {
    for (const row of entity.rows) {
      const list = byRow.get(row) ?? [];
      list.push(index);
      byRow.set(row, list);
    }
  });
  const links = new Map<
    string,
    { source: number; target: number; rows: number[] }
  >();
  for (const row of [...byRow.keys()].sort((a, b) => a - b)) {
    const present = byRow.get(row)!;
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const [source, target] =
          present[i] < present[j]
            ? [present[i], present[j]]
            : [present[j], present[i]];
        const key = `${source}:${target}`;
        const link = links.get(key) ?? { source, target, rows: [] };
        link.rows.push(row);
        links.set(key, link);
      }
    }
  }
  return {
    entities: kept,
    links: [...links.values()]
      .sort((a, b) => a.source - b.source || a.target - b.target)
      .map(l => ({
        source: kept[l.source].id,
        target: kept[l.target].id,
        rows: l.rows
      })),
    detected: all.length
  };
}

/** Where an entity is drawn. */
export interface IPoint {
  x: number;
  y: number;
}

interface ILayoutNode extends SimulationNodeDatum {
  id: string;
}

interface ILayoutLink extends SimulationLinkDatum<ILayoutNode> {
  /** Rows holding both ends. */
  weight: number;
}

/** Ticks the simulation runs before the graph is drawn: it is drawn once, settled. */
const LAYOUT_TICKS = 300;

/**
 * Positions of the entities, centred on the origin: linked entities attract (more for links of
 * many rows), all repel, none overlap. d3-force starts from a fixed phyllotaxis arrangement, so the
 * same graph is laid out the same way each time.
 */
export function layoutGraph(graph: IEntityGraph): Map<string, IPoint> {
  const nodes: ILayoutNode[] = graph.entities.map(e => ({ id: e.id }));
  const links: ILayoutLink[] = graph.links.map(l => ({
    source: l.source,
    target: l.target,
    weight: l.rows.length
  }));
  const maxWeight = Math.max(1, ...graph.links.map(l => l.rows.length));
  const simulation = forceSimulation(nodes)
    .force(
      'link',
      forceLink<ILayoutNode, ILayoutLink>(links)
        .id(n => n.id)
        .distance(70)
        .strength(l => 0.2 + (0.8 * l.weight) / maxWeight)
    )
    .force('charge', forceManyBody().strength(-220))
    .force('collide', forceCollide(28))
    // Unlinked entities would drift away; a weak pull keeps them near the rest.
    .force('x', forceX(0).strength(0.04))
    .force('y', forceY(0).strength(0.04))
    .force('center', forceCenter(0, 0))
    .stop();
  simulation.tick(LAYOUT_TICKS);
  return new Map(nodes.map(n => [n.id, { x: n.x ?? 0, y: n.y ?? 0 }]));
}
