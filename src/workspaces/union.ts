/**
 * The schema of a cross-workspace query, as Log Analytics makes it for a query with `workspaces`:
 * each table is the union of that table in every workspace that has it (columns matched by name),
 * and `TenantId` names each row's workspace. The compiler sees the union as the query's tables and
 * each workspace for `workspace("name").Table`; the editor completes from the union.
 */
import {
  compilerSchema,
  type ICompilerSchema,
  type ICompilerWorkspace
} from '../kql/index';
import type { IColumnInfo, ITableInfo } from '../tokens';

/** The column that names the workspace of each row of a cross-workspace query. */
export const WORKSPACE_COLUMN = 'TenantId';

/** One workspace of a cross-workspace query, with its tables. */
export interface IMemberSchema {
  /** The workspace's id within its backend. */
  id: string;
  /** Its display name, which `workspace("…")` also takes. */
  name: string;
  /** Other names `workspace("…")` takes for it (an Azure workspace's id and resource id). */
  aliases?: string[];
  /** Its tables. */
  tables: ITableInfo[];
}

/** A table with `TenantId` as its first column, as every table of a cross-workspace query has it. */
function withWorkspaceColumn(table: ITableInfo): ITableInfo {
  const column: IColumnInfo = { name: WORKSPACE_COLUMN, type: 'string' };
  return {
    ...table,
    columns: [column, ...table.columns.filter(c => c.name !== column.name)]
  };
}

/** The union of the members' tables: one per name, its columns those of every member by name. */
export function unionTables(members: IMemberSchema[]): ITableInfo[] {
  const tables = new Map<string, ITableInfo>();
  for (const member of members) {
    for (const table of member.tables.map(withWorkspaceColumn)) {
      const known = tables.get(table.name);
      if (!known) {
        tables.set(table.name, table);
        continue;
      }
      const names = new Set(known.columns.map(c => c.name));
      tables.set(table.name, {
        ...known,
        timespanColumn: known.timespanColumn ?? table.timespanColumn,
        rowCount:
          known.rowCount === null || table.rowCount === null
            ? null
            : known.rowCount + table.rowCount,
        columns: [
          ...known.columns,
          ...table.columns.filter(c => !names.has(c.name))
        ]
      });
    }
  }
  return [...tables.values()];
}

/** The compiler's schema of a cross-workspace query over the members, the first being the primary. */
export function unionCompilerSchema(members: IMemberSchema[]): ICompilerSchema {
  const workspaces: ICompilerWorkspace[] = members.map(m => ({
    id: m.id,
    names: [m.name, m.id, ...(m.aliases ?? [])],
    tables: compilerSchema(m.tables.map(withWorkspaceColumn)).tables
  }));
  return { ...compilerSchema(unionTables(members)), workspaces };
}
