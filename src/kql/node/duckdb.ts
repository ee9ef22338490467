/**
 * Runs compiled queries on DuckDB in Node (the `kql` command and the compiler's tests), and shapes
 * the values the way Kusto prints them: datetimes as ISO 8601 with `Z`, timespans as
 * `[d.]hh:mm:ss[.fffffff]`, dynamic values as JSON, longs as numbers.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'fs';
import * as path from 'path';

import { duckdb } from '../sql/dialects/duckdb';
import type { IColumnInfo, KqlTypeName } from '../types';
import type { IExternalData } from '../sql/emitter';

/** A result as the Log Analytics query API shapes it. */
export interface IQueryResult {
  tables: {
    name: string;
    columns: { name: string; type: string }[];
    rows: unknown[][];
  }[];
}

/** A JSON value DuckDB's Node API returns for one cell. */
export type Cell =
  | string
  | number
  | boolean
  | null
  | { months: number; days: number; micros: string }
  | Cell[]
  | { [k: string]: Cell };

/** Runs SQL and returns the rows shaped by the columns' KQL types. */
export async function runSql(
  connection: DuckDBConnection,
  sql: string,
  columns: IColumnInfo[]
): Promise<IQueryResult> {
  const reader = await connection.runAndReadAll(sql);
  const rows = reader.getRowsJson() as Cell[][];
  const types = columns.map(c => c.type);
  return {
    tables: [
      {
        name: 'PrimaryResult',
        columns: columns.map(c => ({ name: c.name, type: c.type })),
        rows: rows.map(row =>
          row.map((cell, i) => kustoValue(cell, types[i] ?? 'string'))
        )
      }
    ]
  };
}

/** One cell as Kusto prints it. */
export function kustoValue(cell: Cell, type: KqlTypeName): unknown {
  if (cell === null || cell === undefined) {
    return type === 'string' ? '' : null;
  }
  switch (type) {
    case 'datetime':
      return datetimeText(String(cell));
    case 'timespan':
      return timespanText(
        cell as { months: number; days: number; micros: string }
      );
    case 'long':
    case 'int': {
      // A long beyond 2^53 stays exact as a bigint (a number would round it).
      const n = Number(cell);
      return Number.isSafeInteger(n) ? n : BigInt(String(cell));
    }
    case 'real':
    case 'decimal':
      return typeof cell === 'string' && /^-?(inf|nan)/i.test(cell)
        ? cell
        : Number(cell);
    case 'dynamic':
      return typeof cell === 'string' ? parseDynamic(cell) : cell;
    default:
      return cell;
  }
}

/**
 * A dynamic value's JSON text, parsed. DuckDB writes a non-finite number inside it as `NaN`,
 * `Infinity` or `-Infinity`, which JSON has not: they become that text, as a real cell's do.
 */
function parseDynamic(text: string): unknown {
  return JSON.parse(
    text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, token =>
      token.startsWith('"') ? token : `"${token}"`
    )
  );
}

/** `2024-01-02 03:04:05.123` → `2024-01-02T03:04:05.123Z`. */
function datetimeText(text: string): string {
  const [date, time = '00:00:00'] = text.split(' ');
  const [clock, fraction] = time.split('.');
  return `${date}T${clock}${fraction ? `.${fraction.replace(/0+$/, '')}` : ''}Z`.replace(
    '.Z',
    'Z'
  );
}

/** Kusto's timespan text from DuckDB's interval parts (a month counts 30 days, as in DuckDB). */
export function timespanText(value: {
  months: number;
  days: number;
  micros: string;
}): string {
  let micros =
    BigInt(value.micros) +
    BigInt(value.days) * 86400000000n +
    BigInt(value.months) * 30n * 86400000000n;
  const sign = micros < 0n ? '-' : '';
  if (micros < 0n) {
    micros = -micros;
  }
  const days = micros / 86400000000n;
  const rest = micros % 86400000000n;
  const pad = (n: bigint) => n.toString().padStart(2, '0');
  const h = rest / 3600000000n;
  const m = (rest / 60000000n) % 60n;
  const s = (rest / 1000000n) % 60n;
  const f = rest % 1000000n;
  const fraction = f > 0n ? `.${(f * 10n).toString().padStart(7, '0')}` : '';
  return `${sign}${days > 0n ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}${fraction}`;
}

const TABLE_FILE = /^([A-Za-z][A-Za-z0-9_]*)\.(parquet|csv|json|jsonl)$/;

/**
 * Creates a view per table of a local workspace folder (the layout the Jupyter server reads: a
 * `<Table>.parquet|csv|json|jsonl` file or a `<Table>/` folder of them) and returns the schema.
 */
export async function attachWorkspace(
  connection: DuckDBConnection,
  folder: string
): Promise<{ name: string; columns: IColumnInfo[] }[]> {
  const tables: { name: string; columns: IColumnInfo[] }[] = [];
  for (const entry of fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) {
      continue;
    }
    let name: string;
    let source: string;
    const full = path.join(folder, entry.name).replace(/'/g, "''");
    if (entry.isDirectory() && /^[A-Za-z][A-Za-z0-9_]*$/.test(entry.name)) {
      const files = fs.readdirSync(path.join(folder, entry.name));
      const ext = ['parquet', 'csv', 'jsonl', 'json'].find(e =>
        files.some(f => f.endsWith(`.${e}`))
      );
      if (!ext) {
        continue;
      }
      name = entry.name;
      source = reader(ext, `${full}/*.${ext}`);
    } else {
      const match = TABLE_FILE.exec(entry.name);
      if (!match) {
        continue;
      }
      name = match[1];
      source = reader(match[2], full);
    }
    await connection.run(`CREATE VIEW "${name}" AS SELECT * FROM ${source}`);
    const described = await connection.runAndReadAll(`DESCRIBE "${name}"`);
    const columns = (
      described.getRowObjectsJson() as {
        column_name: string;
        column_type: string;
      }[]
    ).map(c => ({
      name: c.column_name,
      type: kqlType(c.column_type)
    }));
    tables.push({ name, columns });
  }
  return tables;
}

function reader(ext: string, glob: string): string {
  switch (ext) {
    case 'parquet':
      return `read_parquet('${glob}')`;
    case 'csv':
      return `read_csv('${glob}')`;
    default:
      return `read_json_auto('${glob}')`;
  }
}

/** The KQL type of a DuckDB column type (the DuckDB dialect's type table). */
export function kqlType(duckdbType: string): KqlTypeName {
  return duckdb.kqlType(duckdbType);
}

/** Creates empty tables with a schema's columns, to prepare compiled SQL against. */
export async function createEmptyTables(
  connection: DuckDBConnection,
  tables: { name: string; columns: IColumnInfo[] }[],
  sqlType: (type: KqlTypeName) => string
): Promise<void> {
  for (const table of tables) {
    const columns = table.columns.map(
      c => `"${c.name.replace(/"/g, '""')}" ${sqlType(c.type)}`
    );
    await connection.run(
      `CREATE TABLE "${table.name.replace(/"/g, '""')}" (${columns.join(', ')})`
    );
  }
}

const GEOIP_COLUMNS =
  'first BIGINT, last BIGINT, network VARCHAR, country VARCHAR, state VARCHAR, city VARCHAR, latitude DOUBLE, longitude DOUBLE';

/**
 * Provides `__geoip` for `geo_info_from_ip_address`: empty (to prepare SQL) or the workspace's
 * `_geoip.csv` (columns first,last,network,country,state,city,latitude,longitude).
 */
export async function bindGeoIp(
  connection: DuckDBConnection,
  workspace: string | null,
  empty: boolean
): Promise<void> {
  if (empty) {
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE "__geoip" (${GEOIP_COLUMNS})`
    );
    return;
  }
  const file = workspace ? path.join(workspace, '_geoip.csv') : null;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      'geo_info_from_ip_address needs an IP geolocation table: save one as _geoip.csv in the workspace ' +
        '(columns first,last,network,country,state,city,latitude,longitude)'
    );
  }
  const columns = GEOIP_COLUMNS.split(', ')
    .map(c => c.split(' '))
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ');
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW "__geoip" AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}', header = true, columns = {${columns}}, auto_detect = false)`
  );
}

/** The local file an `externaldata` URI stands for, or null for one on the internet. */
export function localPath(
  uri: string,
  workspace: string | null
): string | null {
  if (uri.startsWith('file://')) {
    return decodeURIComponent(uri.slice('file://'.length));
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    return uri;
  }
  // A copy saved in the workspace, named like the file at the end of the URL.
  const name = decodeURIComponent(new URL(uri).pathname.split('/').pop() ?? '');
  const copy =
    workspace && name ? path.join(workspace, '_externaldata', name) : null;
  return copy && fs.existsSync(copy) ? copy : null;
}

/**
 * Provides the relations compiled `externaldata` reads: empty tables of the right columns
 * (`empty`, to prepare SQL), or views over local files. A URI on the internet is refused: a local
 * workspace never reaches the network.
 */
export async function bindExternalData(
  connection: DuckDBConnection,
  sources: IExternalData[],
  mode: { empty: true } | { empty: false; workspace: string | null },
  sqlType: (type: KqlTypeName) => string
): Promise<void> {
  for (const source of sources) {
    const name = `"${source.relation}"`;
    const columns = source.columns.map(
      c => `"${c.name.replace(/"/g, '""')}" ${sqlType(c.type)}`
    );
    if (mode.empty) {
      await connection.run(
        `CREATE OR REPLACE TEMP TABLE ${name} (${columns.join(', ')})`
      );
      continue;
    }
    const files = source.uris.map(uri => {
      const file = localPath(uri, mode.workspace);
      if (!file) {
        throw new Error(
          `externaldata reads ${uri} from the internet, which a local workspace never does: ` +
            `save the file as <workspace>/_externaldata/${path.basename(new URL(uri).pathname)} ` +
            'or give its local path'
        );
      }
      return `'${file.replace(/'/g, "''")}'`;
    });
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW ${name} AS ${readExternal(source, files, sqlType)}`
    );
  }
}

function readExternal(
  source: IExternalData,
  files: string[],
  sqlType: (type: KqlTypeName) => string
): string {
  const list = `[${files.join(', ')}]`;
  const names = source.columns.map(c => `"${c.name.replace(/"/g, '""')}"`);
  const struct = source.columns
    .map(c => `'${c.name.replace(/'/g, "''")}': '${sqlType(c.type)}'`)
    .join(', ');
  switch (source.format) {
    case 'txt': {
      // One record per line, in the first column.
      const lines = `string_split(regexp_replace(content, '\\r', '', 'g'), chr(10))`;
      const kept = source.ignoreFirstRecord
        ? `list_slice(${lines}, 2, len(${lines}))`
        : lines;
      return `SELECT CAST(line AS ${sqlType(source.columns[0].type)}) AS ${names[0]} FROM (SELECT unnest(${kept}) AS line FROM read_text(${list})) WHERE line <> ''`;
    }
    case 'json':
    case 'multijson':
      return `SELECT ${names.join(', ')} FROM read_json(${list}, columns = {${struct}})`;
    case 'csv':
    case 'tsv':
      return `SELECT ${names.join(', ')} FROM read_csv(${list}, columns = {${struct}}, header = ${source.ignoreFirstRecord}, delim = '${source.format === 'tsv' ? '\\t' : ','}', auto_detect = false)`;
    default:
      throw new Error(
        `externaldata format=${source.format} is not supported locally`
      );
  }
}
