import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyJSONObject } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { IColumnInfo } from '../../tokens';
import type {
  IInvestigationViewOptions,
  IInvestigationViewWidget
} from '../tokens';
import {
  buildTimeline,
  defaultLaneColumn,
  defaultTimeColumn,
  fullDomain,
  laneColumns,
  laneText,
  nearestEvent,
  panDomain,
  rowsBetween,
  selectedEvents,
  timeAt,
  timeColumns,
  timeTicks,
  xOf,
  zoomDomain,
  type ITimeDomain,
  type ITimelineData
} from './model';
import { escapeXml, elide } from '../text';

/** Width of the lane labels, left of the plot. */
const LABEL_WIDTH = 200;
/** Longest lane label, in characters: an account's UPN fits. */
const LABEL_CHARACTERS = 32;
/** Height of the time axis, under the lanes. */
const AXIS_HEIGHT = 28;
/** Width of an event's mark. */
const MARK_WIDTH = 3;
/** Pixels a pointer moves before a press is a drag rather than a click. */
const DRAG_THRESHOLD = 3;
/** Most columns the hover details list besides the time and the lane. */
const DETAIL_COLUMNS = 8;
/** Longest value shown in the hover details, in characters. */
const DETAIL_LENGTH = 120;

/** The timeline's settings, remembered in the cell's metadata. */
export interface ITimelineConfig {
  /** The datetime column the events are placed by. */
  time: string | null;
  /** The column whose values are the lanes, or null for one lane. */
  lane: string | null;
}

/** The settings in a view's remembered config that still fit the result's columns. */
export function timelineConfig(
  columns: readonly IColumnInfo[],
  config: ReadonlyJSONObject
): ITimelineConfig {
  const times = timeColumns(columns);
  const lanes = laneColumns(columns);
  const time =
    typeof config.time === 'string' && times.includes(config.time)
      ? config.time
      : defaultTimeColumn(columns);
  const lane =
    config.lane === null
      ? null
      : typeof config.lane === 'string' && lanes.includes(config.lane)
        ? config.lane
        : defaultLaneColumn(columns);
  return { time, lane };
}

/** The colours and fonts of the theme, read when drawing (canvas cannot read CSS variables). */
interface ITimelineTheme {
  background: string;
  stripe: string;
  grid: string;
  text: string;
  muted: string;
  selected: string;
  brush: string;
  marks: string[];
  font: string;
}

/**
 * The timeline: a result's events on a time axis, one lane per value of a column, drawn on one
 * canvas (a node per event would not stay smooth with thousands). The wheel zooms around the
 * pointer, a drag pans, Shift+drag selects the events in a box, a click selects one event; the
 * selection goes to the grid. Values reach the page only as canvas text and `textContent`.
 */
export class TimelineView extends Widget implements IInvestigationViewWidget {
  constructor(options: IInvestigationViewOptions) {
    super();
    this._options = options;
    this._trans = options.translator.load('jupyterlab_sentinel');
    this._config = timelineConfig(options.columns, options.config);
    this.addClass('jp-SentinelTimeline');
    this.node.appendChild(this._controls());
    const plot = document.createElement('div');
    plot.className = 'jp-SentinelTimeline-plot';
    this._canvas = document.createElement('canvas');
    this._canvas.className = 'jp-SentinelTimeline-canvas';
    this._canvas.tabIndex = 0;
    this._canvas.setAttribute('role', 'img');
    plot.appendChild(this._canvas);
    this._tooltip = document.createElement('div');
    this._tooltip.className = 'jp-SentinelTimeline-tooltip';
    this._tooltip.setAttribute('role', 'tooltip');
    this._tooltip.hidden = true;
    plot.appendChild(this._tooltip);
    this.node.appendChild(plot);
    this._status = document.createElement('div');
    this._status.className = 'jp-SentinelTimeline-status';
    this._status.setAttribute('aria-live', 'polite');
    this.node.appendChild(this._status);
    this._listen();
    this._rebuild();
  }

  /** The events drawn: the model of the picture. */
  get data(): ITimelineData {
    return this._data;
  }

  /** The settings in use. */
  get config(): ITimelineConfig {
    return this._config;
  }

  /** The span of time shown. */
  get domain(): ITimeDomain {
    return this._domain;
  }

  setSelection(rows: ReadonlySet<number>): void {
    this._selection = new Set(rows);
    this._marked = selectedEvents(this._data, this._selection);
    this._updateStatus();
    this._draw();
  }

  /** Shows this span of time (the wheel and drags call it too). */
  setDomain(domain: ITimeDomain): void {
    this._domain = domain;
    this._draw();
  }

  /** Shows every event again. */
  resetZoom(): void {
    this.setDomain(this._full);
  }

  toSvg(): string {
    const theme = this._theme();
    const { width, height } = this._size();
    const plotWidth = Math.max(1, width - LABEL_WIDTH);
    const laneHeight = this._laneHeight();
    const parts: string[] = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(theme.font)}" font-size="11">`,
      `<rect width="${width}" height="${height}" fill="${escapeXml(theme.background)}"/>`
    ];
    this._data.laneNames.forEach((_, lane) => {
      const y = lane * laneHeight;
      if (lane % 2) {
        parts.push(
          `<rect x="0" y="${y}" width="${width}" height="${laneHeight}" fill="${escapeXml(theme.stripe)}"/>`
        );
      }
      parts.push(
        `<text x="6" y="${y + laneHeight / 2 + 4}" fill="${escapeXml(theme.text)}">${escapeXml(elide(this._laneLabel(lane), LABEL_CHARACTERS))}</text>`
      );
    });
    const lanesBottom = this._data.laneNames.length * laneHeight;
    for (const tick of timeTicks(this._domain, Math.floor(plotWidth / 110))) {
      const x = LABEL_WIDTH + xOf(this._domain, plotWidth, tick.time);
      parts.push(
        `<line x1="${x}" y1="0" x2="${x}" y2="${lanesBottom}" stroke="${escapeXml(theme.grid)}"/>`,
        `<text x="${x + 3}" y="${lanesBottom + 16}" fill="${escapeXml(theme.muted)}">${escapeXml(tick.label)}</text>`
      );
    }
    // One mark per lane and pixel: the file stays small however many events share a pixel.
    const drawn = new Set<number>();
    const marks = (selectedOnly: boolean): void => {
      const faded = this._selection.size > 0 && !selectedOnly;
      for (let i = 0; i < this._data.times.length; i++) {
        if (selectedOnly !== (this._marked[i] === 1)) {
          continue;
        }
        const x = xOf(this._domain, plotWidth, this._data.times[i]);
        if (x < 0 || x > plotWidth) {
          continue;
        }
        const lane = this._data.lanes[i];
        const key =
          (lane * (plotWidth + 1) + Math.round(x)) * 2 + Number(selectedOnly);
        if (drawn.has(key)) {
          continue;
        }
        drawn.add(key);
        const colour = selectedOnly
          ? theme.selected
          : theme.marks[lane % theme.marks.length];
        parts.push(
          `<rect x="${(LABEL_WIDTH + x - MARK_WIDTH / 2).toFixed(1)}" y="${lane * laneHeight + 4}" width="${MARK_WIDTH}" height="${laneHeight - 8}" fill="${escapeXml(colour)}"${faded ? ' fill-opacity="0.35"' : ''}/>`
        );
      }
    };
    marks(false);
    marks(true);
    parts.push(
      `<text x="6" y="${lanesBottom + 16}" fill="${escapeXml(theme.muted)}">${escapeXml(this._trans.__('Time (UTC)'))}</text>`,
      '</svg>'
    );
    return parts.join('');
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._resizeObserver.disconnect();
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._resizeObserver.observe(this.node);
    this._draw();
  }

  /** Draws again, with the theme's colours read anew (the result view asks on a theme change). */
  protected onUpdateRequest(msg: Message): void {
    super.onUpdateRequest(msg);
    this._draw();
  }

  protected onBeforeDetach(msg: Message): void {
    this._resizeObserver.unobserve(this.node);
    super.onBeforeDetach(msg);
  }

  /** The time column, lane column and reset controls above the plot. */
  private _controls(): HTMLElement {
    const trans = this._trans;
    const bar = document.createElement('div');
    bar.className = 'jp-SentinelTimeline-controls';
    const select = (
      label: string,
      options: { value: string; text: string }[],
      value: string,
      onChange: (value: string) => void
    ): void => {
      const wrapper = document.createElement('label');
      wrapper.className = 'jp-SentinelTimeline-control';
      wrapper.append(label);
      const element = document.createElement('select');
      element.className = 'jp-mod-styled';
      for (const option of options) {
        const item = document.createElement('option');
        item.value = option.value;
        item.textContent = option.text;
        element.appendChild(item);
      }
      element.value = value;
      element.addEventListener('change', () => onChange(element.value));
      wrapper.appendChild(element);
      bar.appendChild(wrapper);
    };
    const columns = this._options.columns;
    select(
      trans.__('Time'),
      timeColumns(columns).map(name => ({ value: name, text: name })),
      this._config.time ?? '',
      value => this._configure({ ...this._config, time: value })
    );
    // The empty value stands for no lane column: every event on one lane.
    select(
      trans.__('Lanes'),
      [
        { value: '', text: trans.__('(one lane)') },
        ...laneColumns(columns).map(name => ({ value: name, text: name }))
      ],
      this._config.lane ?? '',
      value => this._configure({ ...this._config, lane: value || null })
    );
    const reset = document.createElement('button');
    reset.type = 'button';
    reset.className = 'jp-Button jp-mod-minimal jp-mod-styled';
    reset.textContent = trans.__('Show All');
    reset.title = trans.__('Zoom out to every event');
    reset.addEventListener('click', () => this.resetZoom());
    bar.appendChild(reset);
    return bar;
  }

  private _configure(config: ITimelineConfig): void {
    this._config = config;
    this._rebuild();
    this._draw();
    this._options.onConfigChanged({ time: config.time, lane: config.lane });
  }

  /** Places the rows on lanes again (a new time or lane column) and shows every event. */
  private _rebuild(): void {
    const { time, lane } = this._config;
    this._data = time
      ? buildTimeline(this._options.rows, time, lane)
      : buildTimeline([], '', null);
    this._full = fullDomain(this._data);
    this._domain = this._full;
    this._marked = selectedEvents(this._data, this._selection);
    this._canvas.setAttribute(
      'aria-label',
      this._trans.__(
        'Timeline of %1 events by %2 in %3 lanes',
        this._data.times.length,
        time ?? '',
        this._data.laneNames.length
      )
    );
    this._updateStatus();
  }

  private _updateStatus(): void {
    const trans = this._trans;
    const data = this._data;
    const parts = [
      trans._n('%1 event', '%1 events', data.times.length),
      trans._n('%1 lane', '%1 lanes', data.laneNames.length)
    ];
    if (data.undated) {
      parts.push(
        trans._n(
          '%1 row without a time is not drawn',
          '%1 rows without a time are not drawn',
          data.undated
        )
      );
    }
    if (this._selection.size) {
      parts.push(
        trans._n('%1 row selected', '%1 rows selected', this._selection.size)
      );
    }
    parts.push(
      trans.__('wheel: zoom · drag: pan · Shift+drag or click: select')
    );
    this._status.textContent = parts.join(' · ');
  }

  /** A lane's label: its value, or what stands for empty values and for the shared last lane. */
  private _laneLabel(lane: number): string {
    const data = this._data;
    if (data.otherValues && lane === data.laneNames.length - 1) {
      return this._trans._n(
        '%1 other value',
        '%1 other values',
        data.otherValues
      );
    }
    const name = data.laneNames[lane];
    if (this._config.lane === null) {
      return this._trans.__('All events');
    }
    return name === '' ? this._trans.__('(empty)') : name;
  }

  private _laneHeight(): number {
    return this._data.laneNames.length > 16 ? 16 : 24;
  }

  /** The picture's size in CSS pixels: the plot's width, and the lanes' and axis' height. */
  private _size(): { width: number; height: number } {
    const width = Math.max(
      LABEL_WIDTH + 100,
      this._canvas.parentElement?.clientWidth || 800
    );
    const lanes = Math.max(1, this._data.laneNames.length);
    return { width, height: lanes * this._laneHeight() + AXIS_HEIGHT };
  }

  private _theme(): ITimelineTheme {
    const style = getComputedStyle(this.node);
    const read = (name: string, fallback: string): string =>
      style.getPropertyValue(name).trim() || fallback;
    return {
      background: read('--jp-layout-color0', '#fff'),
      stripe: read('--jp-layout-color1', '#f5f5f5'),
      grid: read('--jp-border-color2', '#ddd'),
      text: read('--jp-ui-font-color1', '#222'),
      muted: read('--jp-ui-font-color2', '#666'),
      selected: read('--jp-warn-color0', '#e65100'),
      brush: read('--jp-brand-color1', '#1976d2'),
      marks: [
        read('--jp-brand-color1', '#1976d2'),
        read('--jp-accent-color1', '#388e3c'),
        read('--jp-info-color1', '#0097a7'),
        read('--jp-success-color1', '#388e3c'),
        read('--jp-error-color1', '#d32f2f')
      ],
      font: read('--jp-ui-font-family', 'sans-serif')
    };
  }

  /** Draws the picture on the canvas, at the screen's pixel density. */
  private _draw(): void {
    if (!this.isAttached) {
      return;
    }
    const canvas = this._canvas;
    const { width, height } = this._size();
    const ratio = window.devicePixelRatio || 1;
    if (
      canvas.width !== Math.round(width * ratio) ||
      canvas.height !== Math.round(height * ratio)
    ) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const context = canvas.getContext('2d');
    if (!context) {
      return;
    }
    const theme = this._theme();
    const data = this._data;
    const plotWidth = Math.max(1, width - LABEL_WIDTH);
    const laneHeight = this._laneHeight();
    const lanesBottom = data.laneNames.length * laneHeight;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = theme.background;
    context.fillRect(0, 0, width, height);
    context.font = `11px ${theme.font}`;
    context.textBaseline = 'middle';
    data.laneNames.forEach((_, lane) => {
      const y = lane * laneHeight;
      if (lane % 2) {
        context.fillStyle = theme.stripe;
        context.fillRect(0, y, width, laneHeight);
      }
      context.fillStyle = theme.text;
      context.fillText(
        elide(this._laneLabel(lane), LABEL_CHARACTERS),
        6,
        y + laneHeight / 2,
        LABEL_WIDTH - 12
      );
    });
    context.strokeStyle = theme.grid;
    context.fillStyle = theme.muted;
    context.lineWidth = 1;
    for (const tick of timeTicks(this._domain, Math.floor(plotWidth / 110))) {
      const x =
        Math.round(LABEL_WIDTH + xOf(this._domain, plotWidth, tick.time)) + 0.5;
      context.beginPath();
      context.moveTo(x, 0);
      context.lineTo(x, lanesBottom);
      context.stroke();
      context.fillText(tick.label, x + 3, lanesBottom + 14);
    }
    context.fillText(this._trans.__('Time (UTC)'), 6, lanesBottom + 14);

    context.save();
    context.beginPath();
    context.rect(LABEL_WIDTH, 0, plotWidth, lanesBottom);
    context.clip();
    const selecting = this._selection.size > 0;
    const marks = (selectedOnly: boolean): void => {
      context.globalAlpha = selecting && !selectedOnly ? 0.35 : 1;
      for (let i = 0; i < data.times.length; i++) {
        if (selectedOnly !== (this._marked[i] === 1)) {
          continue;
        }
        const x = xOf(this._domain, plotWidth, data.times[i]);
        if (x < -MARK_WIDTH || x > plotWidth + MARK_WIDTH) {
          continue;
        }
        const lane = data.lanes[i];
        context.fillStyle = selectedOnly
          ? theme.selected
          : theme.marks[lane % theme.marks.length];
        context.fillRect(
          LABEL_WIDTH + x - MARK_WIDTH / 2,
          lane * laneHeight + 4,
          MARK_WIDTH,
          laneHeight - 8
        );
      }
    };
    marks(false);
    marks(true);
    context.globalAlpha = 1;
    const brush = this._brush;
    if (brush) {
      context.fillStyle = theme.brush;
      context.globalAlpha = 0.15;
      const x = Math.min(brush.x0, brush.x1);
      const y = Math.min(brush.y0, brush.y1);
      context.fillRect(
        x,
        y,
        Math.abs(brush.x1 - brush.x0),
        Math.abs(brush.y1 - brush.y0)
      );
      context.globalAlpha = 1;
      context.strokeStyle = theme.brush;
      context.strokeRect(
        x + 0.5,
        y + 0.5,
        Math.abs(brush.x1 - brush.x0),
        Math.abs(brush.y1 - brush.y0)
      );
    }
    context.restore();
  }

  /** Where a pointer event is on the canvas, in CSS pixels. */
  private _point(event: MouseEvent): { x: number; y: number } {
    const box = this._canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  /** The event under a point of the canvas (an index into the data's events), or -1. */
  private _eventAt(x: number, y: number): number {
    const lane = Math.floor(y / this._laneHeight());
    if (x < LABEL_WIDTH || lane < 0 || lane >= this._data.laneNames.length) {
      return -1;
    }
    const plotWidth = Math.max(1, this._size().width - LABEL_WIDTH);
    const time = timeAt(this._domain, plotWidth, x - LABEL_WIDTH);
    const tolerance =
      ((MARK_WIDTH + 2) / plotWidth) * (this._domain.end - this._domain.start);
    return nearestEvent(this._data, lane, time, tolerance);
  }

  private _listen(): void {
    const canvas = this._canvas;
    canvas.addEventListener(
      'wheel',
      event => {
        const { x } = this._point(event);
        const plotWidth = Math.max(1, this._size().width - LABEL_WIDTH);
        if (x < LABEL_WIDTH) {
          return;
        }
        event.preventDefault();
        const maxSpan = Math.max(
          (this._full.end - this._full.start) * 4,
          3_600_000
        );
        this.setDomain(
          zoomDomain(
            this._domain,
            Math.exp(event.deltaY * 0.002),
            (x - LABEL_WIDTH) / plotWidth,
            maxSpan
          )
        );
      },
      { passive: false }
    );
    canvas.addEventListener('pointerdown', event => {
      if (event.button !== 0) {
        return;
      }
      const { x, y } = this._point(event);
      canvas.setPointerCapture(event.pointerId);
      this._press = {
        x,
        y,
        domain: this._domain,
        brush: event.shiftKey,
        add: event.ctrlKey || event.metaKey,
        moved: false
      };
      this._tooltip.hidden = true;
    });
    canvas.addEventListener('pointermove', event => {
      const { x, y } = this._point(event);
      const press = this._press;
      if (!press) {
        this._hover(x, y);
        return;
      }
      if (
        !press.moved &&
        Math.hypot(x - press.x, y - press.y) < DRAG_THRESHOLD
      ) {
        return;
      }
      press.moved = true;
      if (press.brush) {
        this._brush = { x0: press.x, y0: press.y, x1: x, y1: y };
        this._draw();
        return;
      }
      const plotWidth = Math.max(1, this._size().width - LABEL_WIDTH);
      this.setDomain(panDomain(press.domain, (press.x - x) / plotWidth));
    });
    const release = (event: PointerEvent): void => {
      const press = this._press;
      this._press = null;
      if (!press) {
        return;
      }
      const { x, y } = this._point(event);
      if (press.brush && press.moved) {
        this._brush = null;
        this._selectBox(press.x, press.y, x, y, press.add);
      } else if (!press.moved) {
        const hit = this._eventAt(x, y);
        if (hit >= 0) {
          const row = this._data.rows[hit];
          const rows = new Set(press.add || press.brush ? this._selection : []);
          if (rows.has(row) && (press.add || press.brush)) {
            rows.delete(row);
          } else {
            rows.add(row);
          }
          this._select([...rows]);
        } else if (this._selection.size) {
          this._select([]);
        }
      }
    };
    canvas.addEventListener('pointerup', release);
    canvas.addEventListener('pointercancel', () => {
      this._press = null;
      this._brush = null;
      this._draw();
    });
    canvas.addEventListener('pointerleave', () => {
      this._tooltip.hidden = true;
    });
    canvas.addEventListener('keydown', event => {
      const plotWidth = Math.max(1, this._size().width - LABEL_WIDTH);
      const maxSpan = Math.max(
        (this._full.end - this._full.start) * 4,
        3_600_000
      );
      switch (event.key) {
        case '+':
        case '=':
          this.setDomain(zoomDomain(this._domain, 0.8, 0.5, maxSpan));
          break;
        case '-':
          this.setDomain(zoomDomain(this._domain, 1.25, 0.5, maxSpan));
          break;
        case 'ArrowLeft':
          this.setDomain(panDomain(this._domain, -40 / plotWidth));
          break;
        case 'ArrowRight':
          this.setDomain(panDomain(this._domain, 40 / plotWidth));
          break;
        case '0':
          this.resetZoom();
          break;
        case 'Escape':
          this._select([]);
          break;
        default:
          return;
      }
      event.preventDefault();
    });
  }

  /** Selects the events in a box drawn on the canvas (added to the selection with Ctrl/Cmd). */
  private _selectBox(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    add: boolean
  ): void {
    const plotWidth = Math.max(1, this._size().width - LABEL_WIDTH);
    const laneHeight = this._laneHeight();
    const pad = MARK_WIDTH / 2;
    const rows = rowsBetween(
      this._data,
      timeAt(this._domain, plotWidth, Math.min(x0, x1) - LABEL_WIDTH - pad),
      timeAt(this._domain, plotWidth, Math.max(x0, x1) - LABEL_WIDTH + pad),
      Math.floor(Math.min(y0, y1) / laneHeight),
      Math.floor(Math.max(y0, y1) / laneHeight)
    );
    this._select(add ? [...this._selection, ...rows] : rows);
  }

  private _select(rows: number[]): void {
    this.setSelection(new Set(rows));
    this._options.onSelectRows([...this._selection].sort((a, b) => a - b));
  }

  /** Shows the details of the event under the pointer, as text. */
  private _hover(x: number, y: number): void {
    const hit = this._eventAt(x, y);
    const tooltip = this._tooltip;
    if (hit < 0) {
      tooltip.hidden = true;
      return;
    }
    const row = this._options.rows[this._data.rows[hit]] ?? {};
    const { time, lane } = this._config;
    const lines = [`${time}: ${new Date(this._data.times[hit]).toISOString()}`];
    if (lane) {
      lines.push(`${lane}: ${elide(laneText(row[lane]), DETAIL_LENGTH)}`);
    }
    for (const column of this._options.columns
      .filter(c => c.name !== time && c.name !== lane)
      .slice(0, DETAIL_COLUMNS)) {
      lines.push(
        `${column.name}: ${elide(laneText(row[column.name]), DETAIL_LENGTH)}`
      );
    }
    tooltip.textContent = lines.join('\n');
    tooltip.hidden = false;
    const box = this._canvas.getBoundingClientRect();
    const left = Math.min(x + 12, Math.max(0, box.width - 360));
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${y + 14}px`;
  }

  private readonly _options: IInvestigationViewOptions;
  private readonly _trans: TranslationBundle;
  private readonly _canvas: HTMLCanvasElement;
  private readonly _tooltip: HTMLElement;
  private readonly _status: HTMLElement;
  private readonly _resizeObserver = new ResizeObserver(() => this._draw());
  private _config: ITimelineConfig;
  private _data!: ITimelineData;
  private _full!: ITimeDomain;
  private _domain!: ITimeDomain;
  private _selection = new Set<number>();
  private _marked = new Uint8Array(0);
  private _press: {
    x: number;
    y: number;
    domain: ITimeDomain;
    brush: boolean;
    add: boolean;
    moved: boolean;
  } | null = null;
  private _brush: { x0: number; y0: number; x1: number; y1: number } | null =
    null;
}
