import type * as nbformat from '@jupyterlab/nbformat';
import type { PartialJSONObject } from '@lumino/coreutils';
import type { IRenderSpec } from '../kql/index';
import type { IColumnInfo, ITimeWindow, IWorkspaceInfo } from '../tokens';
import { RESULT_MIME_TYPE } from './tokens';

/**
 * What a KQL cell's result output holds: where the result was saved and how it was made, never
 * the rows (the grid reads the pages it shows from the saved file).
 */
export interface IResultOutput {
  /** The Parquet file, relative to the notebook's folder (found again when the folder moves). */
  file: string;
  /** The Parquet file, relative to the Jupyter root when the query ran. */
  path: string;
  /** The DataFrame variable the result was loaded into. */
  variable: string;
  /** Result columns with their KQL types. */
  columns: IColumnInfo[];
  /** Rows in the result. */
  rowCount: number;
  /** Time the workspace took, in milliseconds. */
  elapsedMs: number;
  /** The KQL that ran. */
  query: string;
  /** The workspace it ran on. */
  workspace: Pick<IWorkspaceInfo, 'backend' | 'id' | 'name'>;
  /** The time window applied, as ISO 8601 instants, or null. */
  timespan: { start: string; end: string } | null;
  /** When the query ran, ISO 8601. */
  ranAt: string;
  /** True when the workspace returned part of the result only. */
  partial?: boolean;
  /** The service's message about a partial result. */
  partialMessage?: string;
  /** The chart `render` asked for, or null. */
  render: IRenderSpec | null;
  /**
   * The longest text of each column in a sample of the whole result, for the grid's column
   * widths; absent when the workspace did not measure it.
   */
  textLengths?: number[];
  /**
   * Which table of a batch this is (`A; B`: one result table per tabular statement, each in its
   * own output); absent for a query of one statement.
   */
  table?: IResultTable;
}

/** One table of a batch, as its output names it. */
export interface IResultTable {
  /** The table's name: `PrimaryResult`, `Table_1`… */
  name: string;
  /** Its place among the batch's tables, from 0. */
  index: number;
  /** How many tables the batch returned. */
  count: number;
}

/** What the runner knows when a result is saved. */
export interface IResultOutputOptions extends Omit<
  IResultOutput,
  'timespan' | 'ranAt'
> {
  /** The time window applied, or null. */
  timespan: ITimeWindow | null;
  /** When the query ran. */
  ranAt: Date;
  /** The sentence shown where the grid cannot be (other viewers, nbconvert). */
  summary: string;
}

/** The output bundle of a saved result: the grid's reference and a plain-text summary. */
export function resultOutput(
  options: IResultOutputOptions
): nbformat.IDisplayData {
  const { summary, timespan, ranAt, ...rest } = options;
  const data: IResultOutput = {
    ...rest,
    timespan: timespan
      ? {
          start: timespan.start.toISOString(),
          end: timespan.end.toISOString()
        }
      : null,
    ranAt: ranAt.toISOString()
  };
  return {
    output_type: 'display_data',
    data: {
      [RESULT_MIME_TYPE]: data as unknown as PartialJSONObject,
      'text/plain': summary
    },
    metadata: {}
  };
}

/** The result a KQL cell's output refers to, or null when the data is not one. */
export function readResultOutput(data: unknown): IResultOutput | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const value = data as Partial<IResultOutput>;
  return typeof value.file === 'string' &&
    typeof value.path === 'string' &&
    Array.isArray(value.columns) &&
    typeof value.rowCount === 'number'
    ? (value as IResultOutput)
    : null;
}
