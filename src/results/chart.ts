/**
 * Charts for `| render`: Kusto's visualization annotation turned into a Vega-Lite spec, which
 * JupyterLab's own Vega renderer draws. Kusto reads a result as an x column, series columns and y
 * columns (the `xColumn`, `series` and `yColumns` properties, guessed from the column types when
 * not given, as Kusto's own user agents do).
 *
 * Render properties are spelled as the Log Analytics API reports them (`xColumn`, `yTitle`, as the
 * Azure SDKs' READMEs show), whichever backend ran the query: `serviceRender` renames the
 * properties a query writes (`xcolumn`, `ytitle`) for the local backend and the Azure emulator.
 */
import type { IRenderSpec } from '../kql/index';
import type { IColumnInfo } from '../tokens';
import type { ResultValue } from './server';

/** The MIME type of a Vega-Lite spec that JupyterLab renders. */
export const VEGALITE_MIME_TYPE = 'application/vnd.vegalite.v5+json';

/** Most rows drawn in one chart. */
export const MAX_CHART_ROWS = 5000;

/** A Vega-Lite spec, as JSON. */
export type VegaLiteSpec = { [key: string]: unknown };

/** The visualizations drawn, and the mark each uses. */
const MARKS: Record<string, string> = {
  timechart: 'line',
  linechart: 'line',
  areachart: 'area',
  columnchart: 'bar',
  barchart: 'bar',
  piechart: 'arc',
  scatterchart: 'point'
};

/** True for the visualizations `chartSpec` draws. */
export function canChart(visualization: string): boolean {
  return visualization in MARKS;
}

/** Kusto's render property names, as a query writes them, → the Log Analytics API's spelling. */
export const SERVICE_RENDER_PROPERTIES: Readonly<Record<string, string>> = {
  title: 'title',
  xcolumn: 'xColumn',
  ycolumns: 'yColumns',
  series: 'series',
  anomalycolumns: 'anomalyColumns',
  xtitle: 'xTitle',
  ytitle: 'yTitle',
  xaxis: 'xAxis',
  yaxis: 'yAxis',
  legend: 'legend',
  ysplit: 'ySplit',
  accumulate: 'accumulate',
  kind: 'kind',
  ymin: 'yMin',
  ymax: 'yMax',
  xmin: 'xMin',
  xmax: 'xMax'
};

/**
 * A `render` with its properties named as the Log Analytics API names them; names it does not
 * know are kept as written.
 */
export function serviceRender(render: IRenderSpec): IRenderSpec {
  const properties: IRenderSpec['properties'] = {};
  for (const [name, value] of Object.entries(render.properties)) {
    properties[SERVICE_RENDER_PROPERTIES[name.toLowerCase()] ?? name] = value;
  }
  return { visualization: render.visualization, properties };
}

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);
/** Types a series is guessed from: labels, not instants or measures. */
const LABELS = new Set(['string', 'guid', 'bool']);

/** A render property as a list of column names. */
function names(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : value.split(','))
    .map(name => name.trim())
    .filter(Boolean);
}

/** The columns that play each part in the chart. */
export function chartColumns(
  render: IRenderSpec,
  columns: IColumnInfo[]
): { x: IColumnInfo; series: IColumnInfo[]; y: IColumnInfo[] } | null {
  const byName = new Map(columns.map(c => [c.name, c]));
  const pick = (list: string[]): IColumnInfo[] =>
    list.map(name => byName.get(name)).filter((c): c is IColumnInfo => !!c);
  const { properties } = render;
  const x =
    pick(names(properties.xColumn))[0] ??
    (render.visualization === 'timechart'
      ? columns.find(c => c.type === 'datetime')
      : undefined) ??
    columns[0];
  if (!x) {
    return null;
  }
  let series = pick(names(properties.series));
  let y = pick(names(properties.yColumns));
  const rest = columns.filter(
    c => c !== x && !series.includes(c) && !y.includes(c)
  );
  if (!y.length) {
    y = rest.filter(c => NUMERIC.has(c.type));
  }
  if (!series.length && !properties.series) {
    series = rest.filter(c => LABELS.has(c.type));
  }
  return y.length ? { x, series, y } : null;
}

/** Vega-Lite's type of a column on an axis. */
function encodingType(
  column: IColumnInfo
): 'temporal' | 'quantitative' | 'nominal' {
  if (column.type === 'datetime') {
    return 'temporal';
  }
  return NUMERIC.has(column.type) ? 'quantitative' : 'nominal';
}

/**
 * The Vega-Lite spec of a `render`, over the first rows of the result; null when the
 * visualization is not one that is drawn or the result has no column to measure.
 */
export function chartSpec(
  render: IRenderSpec,
  columns: IColumnInfo[],
  rows: ResultValue[][],
  totalRows: number
): VegaLiteSpec | null {
  const mark = MARKS[render.visualization];
  const parts = chartColumns(render, columns);
  if (!mark || !parts) {
    return null;
  }
  const { x, series, y } = parts;
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const values = rows.map(row => {
    const record: Record<string, ResultValue> = {};
    for (const column of [x, ...series, ...y]) {
      const value = row[index.get(column.name)!] ?? null;
      // Longs beyond 2^53 arrive as text; a chart only needs their magnitude.
      record[column.name] =
        NUMERIC.has(column.type) && typeof value === 'string'
          ? Number(value)
          : value;
    }
    return record;
  });
  const properties = render.properties;
  const transform: VegaLiteSpec[] = [];
  let measure = y[0].name;
  let color: string | null = null;
  if (y.length > 1) {
    transform.push({ fold: y.map(c => c.name), as: ['Measure', 'Value'] });
    measure = 'Value';
    color = 'Measure';
  }
  if (series.length) {
    const label = series
      .map(c => `datum[${JSON.stringify(c.name)}]`)
      .join(" + ', ' + ");
    transform.push({
      calculate: color ? `${label} + ' ' + datum.Measure` : label,
      as: 'Series'
    });
    color = 'Series';
  }
  const title =
    typeof properties.title === 'string' ? properties.title : undefined;
  const capped = totalRows > rows.length;
  const subtitle = capped
    ? `First ${rows.length.toLocaleString()} of ${totalRows.toLocaleString()} rows`
    : undefined;
  const legend = properties.legend === 'hidden' ? null : {};
  const stacked =
    typeof properties.kind === 'string' ? properties.kind : 'default';
  const stack =
    stacked === 'stacked100'
      ? 'normalize'
      : stacked === 'unstacked'
        ? null
        : 'zero';
  const measureEncoding: VegaLiteSpec = {
    field: measure,
    type: 'quantitative',
    title:
      typeof properties.yTitle === 'string'
        ? properties.yTitle
        : y.length > 1
          ? 'Value'
          : measure
  };
  if (mark === 'bar' || mark === 'area') {
    measureEncoding.stack = stack;
  }
  const axisEncoding: VegaLiteSpec = {
    field: x.name,
    type: encodingType(x),
    title: typeof properties.xTitle === 'string' ? properties.xTitle : x.name
  };
  if (
    render.visualization === 'columnchart' ||
    render.visualization === 'barchart'
  ) {
    // Kusto keeps the result's order on the category axis.
    axisEncoding.sort = null;
  }
  const encoding: VegaLiteSpec =
    mark === 'arc'
      ? {
          theta: { ...measureEncoding, stack: true },
          color: { field: x.name, type: 'nominal', legend }
        }
      : render.visualization === 'barchart'
        ? { y: axisEncoding, x: measureEncoding }
        : { x: axisEncoding, y: measureEncoding };
  if (color && mark !== 'arc') {
    encoding.color = { field: color, type: 'nominal', legend };
  }
  encoding.tooltip = [x, ...series, ...y].map(c => ({
    field: c.name,
    type: encodingType(c)
  }));
  const spec: VegaLiteSpec = {
    data: { values },
    mark: { type: mark, tooltip: true },
    encoding,
    width: mark === 'arc' ? 320 : 640,
    height: 320
  };
  if (transform.length) {
    spec.transform = transform;
  }
  if (title || subtitle) {
    spec.title = { text: title ?? '', ...(subtitle ? { subtitle } : {}) };
  }
  return spec;
}
