/**
 * Bookmark evidence from a pandas DataFrame in the kernel: its first rows, read with one silent
 * user expression (nothing runs in the notebook, nothing changes in the kernel), typed as KQL.
 */
import type { Kernel } from '@jupyterlab/services';
import { base64Of, evaluate, textOf } from '../cells/kernel';
import type { IResultRows } from '../results/tokens';
import type { IColumnInfo, KqlTypeName, IWorkspaceInfo } from '../tokens';

/** The DataFrame a Python cell shows: the name its last line starts with (`df`, `df.head()`). */
export function detectDataFrame(source: string): string | null {
  const lines = source
    .split('\n')
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'));
  const last = lines[lines.length - 1] ?? '';
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\.|\[|$)/.exec(last);
  return match && !/=(?!=)/.test(last.replace(/==/g, '')) ? match[1] : null;
}

/** The Python expression that reads a DataFrame's first rows as base64 of pandas' JSON. */
export function dataFrameExpression(name: string, limit: number): string {
  return base64Of(
    `${name}.head(${limit}).to_json(orient="table", date_format="iso", default_handler=str)`
  );
}

/** pandas' table-schema types as KQL types. */
function kqlType(type: string): KqlTypeName {
  switch (type) {
    case 'integer':
      return 'long';
    case 'number':
      return 'real';
    case 'boolean':
      return 'bool';
    case 'datetime':
      return 'datetime';
    case 'duration':
      return 'timespan';
    default:
      return 'string';
  }
}

/** A DataFrame's rows (pandas' `orient="table"` JSON) as the bookmark dialog reads them. */
export function rowsFromTable(
  json: string,
  source: {
    name: string;
    workspace: Pick<IWorkspaceInfo, 'backend' | 'id' | 'name'>;
  },
  totalRows: number
): IResultRows {
  const table = JSON.parse(json) as {
    schema: { fields: { name: string; type: string }[]; primaryKey?: string[] };
    data: Record<string, unknown>[];
  };
  const index = new Set(table.schema.primaryKey ?? []);
  const columns: IColumnInfo[] = table.schema.fields
    .filter(field => !index.has(field.name))
    .map(field => ({ name: field.name, type: kqlType(field.type) }));
  const rows = table.data.map(record =>
    Object.fromEntries(columns.map(c => [c.name, record[c.name] ?? null]))
  );
  return {
    workspace: source.workspace,
    query: `// the pandas DataFrame ${source.name}`,
    timespan: null,
    columns,
    rows,
    selected: false,
    totalRows
  };
}

/** Reads the first `limit` rows of the kernel's DataFrame `name`; rejects with a readable reason. */
export async function readDataFrame(
  kernel: Kernel.IKernelConnection,
  name: string,
  limit: number,
  workspace: Pick<IWorkspaceInfo, 'backend' | 'id' | 'name'>
): Promise<IResultRows> {
  const answers = await evaluate(kernel, {
    rows: dataFrameExpression(name, limit),
    total: `len(${name})`
  });
  const rows = answers.rows;
  if (!rows || rows.status !== 'ok') {
    throw new Error(
      rows?.ename === 'NameError'
        ? `The kernel has no variable ${name}.`
        : `${name} is not a pandas DataFrame the kernel can read: ${rows?.evalue ?? 'no answer'}`
    );
  }
  const json = textOf(rows);
  if (json === null) {
    throw new Error(`${name} could not be read from the kernel.`);
  }
  const total = Number(answers.total?.data?.['text/plain'] ?? NaN);
  return rowsFromTable(
    json,
    { name, workspace },
    Number.isFinite(total) ? total : limit
  );
}
