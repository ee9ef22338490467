import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import type {
  IInvestigationViewOptions,
  IInvestigationViewWidget
} from '../tokens';
import {
  buildEntityGraph,
  layoutGraph,
  type IEntityGraph,
  type IGraphEntity,
  type IGraphLink,
  type IPoint
} from './model';
import { elide } from '../text';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Height of the drawing, in pixels; its width is the output's. */
const HEIGHT = 440;
/** Space around the laid-out graph, in graph units, for shapes and labels. */
const MARGIN = 48;
/** Longest label under an entity, in characters (its tooltip has it whole). */
const LABEL_LENGTH = 26;
/** Presentation properties copied from the page into the exported SVG, where CSS cannot reach. */
const EXPORTED_STYLE = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'paint-order',
  'stroke-linejoin'
];

/** How an entity type is drawn: its shape (the colour comes from the style sheet, by type). */
type Shape =
  'circle' | 'square' | 'diamond' | 'triangle' | 'document' | 'hexagon';

const SHAPES: Record<string, Shape> = {
  Account: 'circle',
  Mailbox: 'circle',
  Host: 'square',
  IP: 'diamond',
  URL: 'triangle',
  DNS: 'triangle',
  File: 'document',
  FileHash: 'document',
  Process: 'hexagon'
};

/** The entity types the legend and the style sheet know; others are drawn as `Other`. */
const KNOWN_TYPES = Object.keys(SHAPES);

/** An entity type's name in the analyst's language. */
function typeLabel(entityType: string, trans: TranslationBundle): string {
  switch (entityType) {
    case 'Account':
      return trans.__('Account');
    case 'Mailbox':
      return trans.__('Mailbox');
    case 'Host':
      return trans.__('Host');
    case 'IP':
      return trans.__('IP address');
    case 'URL':
      return trans.__('URL');
    case 'DNS':
      return trans.__('Domain');
    case 'File':
      return trans.__('File');
    case 'FileHash':
      return trans.__('File hash');
    case 'Process':
      return trans.__('Process');
    default:
      return entityType;
  }
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {}
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

function polygon(points: [number, number][]): SVGPolygonElement {
  return svg('polygon', {
    points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')
  });
}

/** The shape of an entity of radius `r`, centred on the origin. */
function shapeElement(shape: Shape, r: number): SVGElement {
  switch (shape) {
    case 'circle':
      return svg('circle', { r });
    case 'square':
      return svg('rect', { x: -r, y: -r, width: 2 * r, height: 2 * r, rx: 2 });
    case 'diamond':
      return polygon([
        [0, -r * 1.25],
        [r * 1.25, 0],
        [0, r * 1.25],
        [-r * 1.25, 0]
      ]);
    case 'triangle':
      return polygon([
        [0, -r * 1.25],
        [r * 1.2, r * 0.85],
        [-r * 1.2, r * 0.85]
      ]);
    case 'document':
      return polygon([
        [-r * 0.8, -r],
        [r * 0.35, -r],
        [r * 0.8, -r * 0.55],
        [r * 0.8, r],
        [-r * 0.8, r]
      ]);
    case 'hexagon':
      return polygon(
        [0, 1, 2, 3, 4, 5].map(i => [
          r * 1.1 * Math.cos((Math.PI / 3) * i),
          r * 1.1 * Math.sin((Math.PI / 3) * i)
        ])
      );
  }
}

/** An entity's radius: larger for entities in more rows. */
function radius(entity: IGraphEntity): number {
  return 7 + Math.min(9, 2 * Math.log2(entity.rows.length));
}

/**
 * A result's entities as a graph: a node per entity (shape and colour by type), a line between
 * entities in the same rows (thicker for more rows), zoom and pan with the wheel and a drag.
 * Clicking an entity or a link selects its rows in the grid; Ctrl adds to the selection.
 */
export class EntityGraphView
  extends Widget
  implements IInvestigationViewWidget
{
  constructor(options: IInvestigationViewOptions) {
    super();
    this.addClass('jp-SentinelEntityGraph');
    this._trans = options.translator.load('jupyterlab_sentinel');
    this._onSelectRows = options.onSelectRows;
    this._graph = buildEntityGraph(options.columns, options.rows);
    this._byId = new Map(this._graph.entities.map(e => [e.id, e]));
    this._positions = layoutGraph(this._graph);
    const trans = this._trans;

    const header = document.createElement('div');
    header.className = 'jp-SentinelEntityGraph-header';
    const summary = document.createElement('span');
    summary.className = 'jp-SentinelEntityGraph-summary';
    summary.textContent = this._summary();
    header.appendChild(summary);
    for (const [label, action] of [
      [trans.__('Zoom In'), () => this._zoomBy(1.5)],
      [trans.__('Zoom Out'), () => this._zoomBy(1 / 1.5)],
      [trans.__('Fit'), () => this._fit()]
    ] as const) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className =
        'jp-Button jp-mod-minimal jp-SentinelEntityGraph-action';
      button.textContent = label;
      button.addEventListener('click', action);
      header.appendChild(button);
    }
    this.node.appendChild(header);

    this._svg = svg('svg', { width: '100%', height: HEIGHT });
    this._svg.classList.add('jp-SentinelEntityGraph-canvas');
    this._svg.setAttribute('role', 'group');
    this._svg.setAttribute('aria-label', trans.__('Entity graph'));
    this._svg.appendChild(this._viewport);
    this.node.appendChild(this._svg);
    this._draw();
    this._zoom = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.1, 10])
      // The drawing's own coordinates: what d3-zoom would read from the viewBox, where it can.
      .extent(() => {
        const [x, y, width, height] = this._viewBox();
        return [
          [x, y],
          [x + width, y + height]
        ];
      })
      .on('zoom', event => {
        this._viewport.setAttribute('transform', String(event.transform));
      });
    select(this._svg).call(this._zoom).on('dblclick.zoom', null);
  }

  /** The graph drawn. */
  get graph(): IEntityGraph {
    return this._graph;
  }

  setSelection(rows: ReadonlySet<number>): void {
    this._selection = new Set(rows);
    const any = rows.size > 0;
    this._svg.classList.toggle('jp-mod-hasSelection', any);
    for (const [id, element] of this._nodes) {
      const selected = any && this._entity(id).rows.some(r => rows.has(r));
      element.classList.toggle('jp-mod-selected', selected);
      element.setAttribute('aria-pressed', String(selected));
    }
    this._graph.links.forEach((link, i) => {
      this._links[i].classList.toggle(
        'jp-mod-selected',
        any && link.rows.some(r => rows.has(r))
      );
    });
  }

  toSvg(): string {
    const clone = this._svg.cloneNode(true) as SVGSVGElement;
    const originals = [this._svg, ...this._svg.querySelectorAll('*')];
    const copies = [clone, ...clone.querySelectorAll('*')];
    originals.forEach((original, i) => {
      const style = getComputedStyle(original);
      for (const property of EXPORTED_STYLE) {
        const value = style.getPropertyValue(property).trim();
        if (value) {
          copies[i].setAttribute(property, value);
        }
      }
      copies[i].removeAttribute('tabindex');
      copies[i].removeAttribute('class');
    });
    const [x, y, width, height] = this._viewBox();
    const shown = this._svg.getBoundingClientRect();
    // XMLSerializer declares the SVG namespace itself.
    clone.setAttribute('width', String(Math.round(shown.width || width)));
    clone.setAttribute('height', String(Math.round(shown.height || height)));
    const background = svg('rect', {
      x,
      y,
      width,
      height,
      fill:
        getComputedStyle(this.node)
          .getPropertyValue('--jp-layout-color0')
          .trim() || '#ffffff'
    });
    clone.insertBefore(background, clone.firstChild);
    return new XMLSerializer().serializeToString(clone);
  }

  private _summary(): string {
    const trans = this._trans;
    const graph = this._graph;
    if (!graph.entities.length) {
      return trans.__(
        'No entities detected: the graph reads accounts, hosts, addresses, URLs, files and processes from columns named for them.'
      );
    }
    const parts = [
      trans._n('%1 entity', '%1 entities', graph.entities.length),
      trans._n('%1 link', '%1 links', graph.links.length)
    ];
    if (graph.detected > graph.entities.length) {
      parts.push(
        trans.__(
          'the %1 in most rows of %2 detected',
          graph.entities.length,
          graph.detected
        )
      );
    }
    return parts.join(' · ');
  }

  private _entity(id: string): IGraphEntity {
    return this._byId.get(id)!;
  }

  /** The laid-out graph's bounds with room for shapes and labels: x, y, width, height. */
  private _viewBox(): [number, number, number, number] {
    const points = [...this._positions.values()];
    if (!points.length) {
      return [-200, -HEIGHT / 2, 400, HEIGHT];
    }
    const xs = points.map(p => p.x);
    const ys = points.map(p => p.y);
    const x = Math.min(...xs) - MARGIN * 2;
    const y = Math.min(...ys) - MARGIN;
    const width = Math.max(...xs) - Math.min(...xs) + MARGIN * 4;
    const height = Math.max(...ys) - Math.min(...ys) + MARGIN * 2;
    return [x, y, width, height].map(v => Math.round(v)) as [
      number,
      number,
      number,
      number
    ];
  }

  private _draw(): void {
    const trans = this._trans;
    this._svg.setAttribute('viewBox', this._viewBox().join(' '));
    const at = (id: string): IPoint =>
      this._positions.get(id) ?? { x: 0, y: 0 };
    const maxWeight = Math.max(1, ...this._graph.links.map(l => l.rows.length));

    const links = svg('g');
    links.classList.add('jp-SentinelEntityGraph-links');
    for (const link of this._graph.links) {
      const from = at(link.source);
      const to = at(link.target);
      const line = svg('line', {
        x1: from.x.toFixed(1),
        y1: from.y.toFixed(1),
        x2: to.x.toFixed(1),
        y2: to.y.toFixed(1),
        'stroke-width': (
          1 +
          (4 * Math.log2(link.rows.length + 1)) / Math.log2(maxWeight + 1)
        ).toFixed(2)
      });
      line.classList.add('jp-SentinelEntityGraph-link');
      const title = svg('title');
      title.textContent = trans._n(
        '%2 and %3: %1 row',
        '%2 and %3: %1 rows',
        link.rows.length,
        this._entity(link.source).value,
        this._entity(link.target).value
      );
      line.appendChild(title);
      line.addEventListener('click', event => this._select(link, event));
      links.appendChild(line);
      this._links.push(line);
    }
    this._viewport.appendChild(links);

    const nodes = svg('g');
    nodes.classList.add('jp-SentinelEntityGraph-nodes');
    for (const entity of this._graph.entities) {
      const point = at(entity.id);
      const group = svg('g', {
        transform: `translate(${point.x.toFixed(1)},${point.y.toFixed(1)})`,
        tabindex: 0,
        role: 'button',
        'aria-pressed': 'false'
      });
      group.classList.add('jp-SentinelEntityGraph-node');
      group.dataset.entityType = KNOWN_TYPES.includes(entity.entityType)
        ? entity.entityType
        : 'Other';
      group.dataset.id = entity.id;
      const description = trans._n(
        '%2 %3: in %1 row',
        '%2 %3: in %1 rows',
        entity.rows.length,
        typeLabel(entity.entityType, trans),
        entity.value
      );
      group.setAttribute('aria-label', description);
      const title = svg('title');
      title.textContent = description;
      group.appendChild(title);
      const r = radius(entity);
      const shape = shapeElement(SHAPES[entity.entityType] ?? 'circle', r);
      shape.classList.add('jp-SentinelEntityGraph-shape');
      group.appendChild(shape);
      const label = svg('text', { y: r + 12, 'text-anchor': 'middle' });
      label.classList.add('jp-SentinelEntityGraph-label');
      label.textContent = elide(entity.value, LABEL_LENGTH);
      group.appendChild(label);
      group.addEventListener('click', event => this._select(entity, event));
      group.addEventListener('keydown', event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          this._select(entity, event);
        }
      });
      nodes.appendChild(group);
      this._nodes.set(entity.id, group);
    }
    this._viewport.appendChild(nodes);
    this._svg.appendChild(this._legend());
  }

  /** The entity types present, with their shapes: outside the zoomed group, so it stays put. */
  private _legend(): SVGGElement {
    const [x, y] = this._viewBox();
    const legend = svg('g', { transform: `translate(${x + 12},${y + 14})` });
    legend.classList.add('jp-SentinelEntityGraph-legend');
    const types = [
      ...new Set(this._graph.entities.map(e => e.entityType))
    ].sort((a, b) => KNOWN_TYPES.indexOf(a) - KNOWN_TYPES.indexOf(b));
    const box = svg('rect', {
      x: -10,
      y: -10,
      // Text is not measured before it is drawn: about 6.5 units a character at this size.
      width:
        28 +
        6.5 * Math.max(0, ...types.map(t => typeLabel(t, this._trans).length)),
      height: types.length * 18 + 4,
      rx: 3
    });
    box.classList.add('jp-SentinelEntityGraph-legendBox');
    legend.appendChild(box);
    types.forEach((entityType, i) => {
      const item = svg('g', { transform: `translate(0,${i * 18})` });
      item.classList.add('jp-SentinelEntityGraph-node');
      item.dataset.entityType = KNOWN_TYPES.includes(entityType)
        ? entityType
        : 'Other';
      const shape = shapeElement(SHAPES[entityType] ?? 'circle', 5);
      shape.classList.add('jp-SentinelEntityGraph-shape');
      item.appendChild(shape);
      const label = svg('text', { x: 12, y: 4 });
      label.classList.add('jp-SentinelEntityGraph-label');
      label.textContent = typeLabel(entityType, this._trans);
      item.appendChild(label);
      legend.appendChild(item);
    });
    return legend;
  }

  private _select(
    item: IGraphEntity | IGraphLink,
    event: MouseEvent | KeyboardEvent
  ): void {
    const rows = item.rows;
    let selection: Set<number>;
    if (!(event.ctrlKey || event.metaKey)) {
      selection = new Set(rows);
    } else if (rows.every(r => this._selection.has(r))) {
      selection = new Set([...this._selection].filter(r => !rows.includes(r)));
    } else {
      selection = new Set([...this._selection, ...rows]);
    }
    this.setSelection(selection);
    this._onSelectRows([...selection].sort((a, b) => a - b));
  }

  private _zoomBy(factor: number): void {
    this._zoom.scaleBy(select(this._svg), factor);
  }

  private _fit(): void {
    this._zoom.transform(select(this._svg), zoomIdentity);
  }

  private readonly _trans: TranslationBundle;
  private readonly _onSelectRows: (rows: readonly number[]) => void;
  private readonly _graph: IEntityGraph;
  private readonly _byId: Map<string, IGraphEntity>;
  private readonly _positions: Map<string, IPoint>;
  private readonly _svg: SVGSVGElement;
  private readonly _viewport = svg('g');
  private readonly _zoom: ZoomBehavior<SVGSVGElement, unknown>;
  private readonly _nodes = new Map<string, SVGGElement>();
  private readonly _links: SVGLineElement[] = [];
  private _selection = new Set<number>();
}
