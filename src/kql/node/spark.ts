/**
 * Spark's own parser and analyser for `bin/kql check --dialect spark`: a Python process of a venv
 * holding pyspark (`testing/spark/check_sql.py`) with a local Spark session, empty views of the
 * schema's tables and the dialect's prelude. Requests go out as JSON lines and are answered in
 * order, so the next query compiles while Spark analyses the last. It also runs queries on data
 * the query holds (datatable, print), for `bin/kql doc-cases`.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as path from 'path';

import type { IExternalData } from '../sql/emitter';
import type { Cell } from './duckdb';
import { spark } from '../sql/dialects/spark';
import type { IColumnInfo, KqlTypeName, ScalarType } from '../types';

/** Spark's answer to one request. */
export interface ISparkAnswer {
  ok: boolean;
  error?: string;
  /** The rows of a query run (`run`), each cell as DuckDB's Node API gives it. */
  rows?: Cell[][];
}

/** The checker script, in the repository next to the build (`build/cli/kql/node/` → `testing/spark/`). */
const SCRIPT = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'testing',
  'spark',
  'check_sql.py'
);

const GEOIP_COLUMNS: { name: string; type: KqlTypeName }[] = [
  { name: 'first', type: 'long' },
  { name: 'last', type: 'long' },
  { name: 'network', type: 'string' },
  { name: 'country', type: 'string' },
  { name: 'state', type: 'string' },
  { name: 'city', type: 'string' },
  { name: 'latitude', type: 'real' },
  { name: 'longitude', type: 'real' }
];

/** An empty temporary view of columns of KQL types, in Spark SQL. */
export function emptyView(
  name: string,
  columns: { name: string; type: ScalarType }[]
): string {
  const list = columns
    .map(
      c => `CAST(NULL AS ${spark.type(c.type)}) AS ${spark.identifier(c.name)}`
    )
    .join(', ');
  return `CREATE OR REPLACE TEMPORARY VIEW ${spark.identifier(name)} AS SELECT ${list} WHERE false`;
}

/** The empty relations a compiled query reads besides the schema's tables. */
export function emptyRelations(
  externalData: IExternalData[],
  geoIp: boolean
): string[] {
  return [
    ...externalData.map(source => emptyView(source.relation, source.columns)),
    ...(geoIp ? [emptyView('__geoip', GEOIP_COLUMNS)] : [])
  ];
}

/** Spark's message without what varies between queries (positions, quoted SQL), for grouping. */
export function sparkReason(message: string): string {
  return message
    .replace(/ on search path \[[^\]]*\]/, '')
    .replace(/\s*SQLSTATE: \w+.*$/, '')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 140);
}

/** A local Spark session that analyses SQL against empty tables. */
export class SparkChecker {
  private constructor(private readonly _child: ChildProcessWithoutNullStreams) {
    _child.stdout.setEncoding('utf8');
    _child.stdout.on('data', (chunk: string) => {
      this._buffer += chunk;
      let newline = this._buffer.indexOf('\n');
      while (newline >= 0) {
        const line = this._buffer.slice(0, newline);
        this._buffer = this._buffer.slice(newline + 1);
        this._waiting.shift()?.resolve(JSON.parse(line) as ISparkAnswer);
        newline = this._buffer.indexOf('\n');
      }
    });
    _child.stderr.on('data', (chunk: Buffer) => {
      this._stderr = (this._stderr + chunk.toString()).slice(-4000);
    });
    _child.on('exit', code => {
      const error = new Error(
        `the Spark checker stopped (exit code ${code}): ${this._stderr.trim().split('\n').slice(-3).join(' ')}`
      );
      for (const waiting of this._waiting.splice(0)) {
        waiting.reject(error);
      }
    });
  }

  /** Starts Python's Spark session with empty views of the tables and the dialect's prelude. */
  static async start(
    python: string,
    tables: { name: string; columns: IColumnInfo[] }[]
  ): Promise<SparkChecker> {
    const child = spawn(python, [SCRIPT], { stdio: 'pipe' });
    const checker = new SparkChecker(child);
    const setup = await checker._send({
      setup: {
        tables: tables.map(t => ({
          name: t.name,
          columns: t.columns.map(c => ({
            name: c.name,
            type: spark.type(c.type)
          }))
        })),
        prelude: spark.prelude
      }
    });
    if (!setup.ok) {
      checker.close();
      throw new Error(`Spark could not set up the schema: ${setup.error}`);
    }
    return checker;
  }

  /** Has Spark parse and analyse one statement after creating the given views. */
  analyse(sql: string, views: string[]): Promise<ISparkAnswer> {
    return this._send({ sql, views });
  }

  /** Has Spark run one query and answer its rows. */
  run(sql: string): Promise<ISparkAnswer> {
    return this._send({ run: sql });
  }

  close(): void {
    this._child.stdin.end();
  }

  private _send(request: object): Promise<ISparkAnswer> {
    return new Promise((resolve, reject) => {
      this._waiting.push({ resolve, reject });
      this._child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  private _buffer = '';
  private _stderr = '';
  private readonly _waiting: {
    resolve: (answer: ISparkAnswer) => void;
    reject: (error: Error) => void;
  }[] = [];
}
