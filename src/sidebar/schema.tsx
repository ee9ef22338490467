import { Notification } from '@jupyterlab/apputils';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import {
  addIcon,
  caretDownIcon,
  caretRightIcon,
  ReactWidget,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';
import { followNotebookSchemas } from '../cells/schemas';
import { CommandIDs as CellCommandIDs } from '../cells/tokens';
import type { ISentinelWorkspaces, ITableInfo } from '../tokens';
import {
  type IMemberSchema,
  unionTables,
  WORKSPACE_COLUMN
} from '../workspaces/union';

/** Tables whose name, or one of whose columns, contains the filter text (case-insensitive). */
export function filterTables(
  tables: ITableInfo[],
  filter: string
): ITableInfo[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) {
    return tables;
  }
  return tables
    .map(table =>
      table.name.toLowerCase().includes(needle)
        ? table
        : {
            ...table,
            columns: table.columns.filter(c =>
              c.name.toLowerCase().includes(needle)
            )
          }
    )
    .filter(
      table =>
        table.name.toLowerCase().includes(needle) || table.columns.length > 0
    );
}

/** Tables grouped by category, categories and tables sorted by name. */
export function groupByCategory(
  tables: ITableInfo[]
): [string, ITableInfo[]][] {
  const groups = new Map<string, ITableInfo[]>();
  for (const table of tables) {
    groups.set(table.category, [...(groups.get(table.category) ?? []), table]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, list]) => [
      category,
      [...list].sort((a, b) => a.name.localeCompare(b.name))
    ]);
}

/**
 * A starter query for a table: the last day by its time column, a hundred rows — what an analyst
 * types first to see what a table holds.
 */
export function starterQuery(table: ITableInfo): string {
  const time =
    table.timespanColumn ??
    table.columns.find(
      c => c.name === 'TimeGenerated' || c.name === 'Timestamp'
    )?.name ??
    table.columns.find(c => c.type === 'datetime')?.name;
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(table.name)
    ? table.name
    : `['${table.name}']`;
  return time
    ? `${name}\n| where ${time} > ago(1d)\n| take 100`
    : `${name}\n| take 100`;
}

/** The disclosure triangle of a tree item. */
function Caret({ open }: { open: boolean }): JSX.Element {
  return open ? (
    <caretDownIcon.react tag="span" />
  ) : (
    <caretRightIcon.react tag="span" />
  );
}

function onToggleKey(
  event: React.KeyboardEvent,
  expanded: boolean,
  toggle: () => void
): void {
  const wants =
    event.key === 'Enter' ||
    event.key === ' ' ||
    (event.key === 'ArrowRight' && !expanded) ||
    (event.key === 'ArrowLeft' && expanded);
  if (wants) {
    event.preventDefault();
    event.stopPropagation();
    toggle();
  }
}

/** Props of the schema tree. */
export interface ISchemaTreeProps {
  tables: ITableInfo[];
  trans: TranslationBundle;
  /** Inserts a KQL cell with a starter query for a table (double-click, or its button). */
  onInsertQuery?: (table: ITableInfo) => void;
  /** Inserts a column's name at the notebook's cursor (double-click, or Enter). */
  onInsertColumn?: (name: string) => void;
}

/** The tables of a workspace by category; a table expands to its columns with KQL types. */
export function SchemaTree({
  tables,
  trans,
  onInsertQuery,
  onInsertColumn
}: ISchemaTreeProps): JSX.Element {
  const [filter, setFilter] = React.useState('');
  const [open, setOpen] = React.useState<ReadonlySet<string>>(new Set());
  const filtering = filter.trim() !== '';
  const toggle = (key: string): void => {
    const next = new Set(open);
    if (!next.delete(key)) {
      next.add(key);
    }
    setOpen(next);
  };
  const formatCount = (n: number | null): string =>
    n === null ? '' : n.toLocaleString();
  return (
    <div className="jp-SentinelSchema">
      <input
        className="jp-SentinelSchema-filter jp-mod-styled"
        type="search"
        placeholder={trans.__('Filter tables and columns')}
        aria-label={trans.__('Filter tables and columns')}
        value={filter}
        onChange={event => setFilter(event.target.value)}
      />
      <ul role="tree" aria-label={trans.__('Tables')}>
        {groupByCategory(filterTables(tables, filter)).map(
          ([category, list]) => {
            const categoryKey = `category:${category}`;
            // Categories start open; a filter opens everything it matched.
            const categoryOpen = filtering || !open.has(categoryKey);
            return (
              <li
                key={category}
                role="treeitem"
                aria-expanded={categoryOpen}
                aria-label={category}
                tabIndex={0}
                className="jp-SentinelSchema-category"
                onKeyDown={e =>
                  onToggleKey(e, categoryOpen, () => toggle(categoryKey))
                }
              >
                <div
                  className="jp-SentinelSchema-row"
                  onClick={() => toggle(categoryKey)}
                >
                  <Caret open={categoryOpen} />
                  <span className="jp-SentinelSchema-categoryName">
                    {category}
                  </span>
                </div>
                {categoryOpen && (
                  <ul role="group">
                    {list.map(table => {
                      const tableKey = `table:${table.name}`;
                      const tableOpen =
                        open.has(tableKey) ||
                        (filtering &&
                          table.columns.length > 0 &&
                          !table.name
                            .toLowerCase()
                            .includes(filter.trim().toLowerCase()));
                      return (
                        <li
                          key={table.name}
                          role="treeitem"
                          aria-expanded={tableOpen}
                          aria-label={table.name}
                          tabIndex={0}
                          className="jp-SentinelSchema-table"
                          onKeyDown={e =>
                            onToggleKey(e, tableOpen, () => toggle(tableKey))
                          }
                        >
                          <div
                            className="jp-SentinelSchema-row"
                            onClick={() => toggle(tableKey)}
                            onDoubleClick={() => onInsertQuery?.(table)}
                            title={trans._n(
                              '%1 column',
                              '%1 columns',
                              table.columns.length
                            )}
                          >
                            <Caret open={tableOpen} />
                            <span className="jp-SentinelSchema-tableName">
                              {table.name}
                            </span>
                            <span className="jp-SentinelSchema-count">
                              {formatCount(table.rowCount)}
                            </span>
                            {onInsertQuery && (
                              <button
                                className="jp-SentinelSchema-insert jp-Button jp-mod-minimal"
                                title={trans.__(
                                  'Insert a KQL cell querying %1',
                                  table.name
                                )}
                                aria-label={trans.__(
                                  'Insert a KQL cell querying %1',
                                  table.name
                                )}
                                onClick={event => {
                                  event.stopPropagation();
                                  onInsertQuery(table);
                                }}
                              >
                                <addIcon.react tag="span" />
                              </button>
                            )}
                          </div>
                          {tableOpen && (
                            <ul role="group">
                              {table.columns.map(column => (
                                <li
                                  key={column.name}
                                  role="treeitem"
                                  aria-label={`${column.name} ${column.type}`}
                                  tabIndex={-1}
                                  className="jp-SentinelSchema-column"
                                  title={trans.__(
                                    'Double-click to insert %1 at the cursor',
                                    column.name
                                  )}
                                  onDoubleClick={() =>
                                    onInsertColumn?.(column.name)
                                  }
                                  onKeyDown={event => {
                                    if (event.key === 'Enter') {
                                      event.preventDefault();
                                      onInsertColumn?.(column.name);
                                    }
                                  }}
                                >
                                  <span className="jp-SentinelSchema-columnName">
                                    {column.name}
                                  </span>
                                  <span className="jp-SentinelSchema-type">
                                    {column.type}
                                  </span>
                                </li>
                              ))}
                            </ul>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </li>
            );
          }
        )}
      </ul>
    </div>
  );
}

/**
 * The Schema section of the sidebar: the active workspace's tables, or, while the current notebook
 * queries several workspaces at once, the union of their tables its queries read.
 */
export class SchemaPanel extends ReactWidget {
  constructor(
    private readonly _model: ISentinelWorkspaces,
    private readonly _trans: TranslationBundle,
    private readonly _commands: CommandRegistry,
    notebooks: INotebookTracker | null = null
  ) {
    super();
    this.addClass('jp-SentinelSection');
    this.title.label = _trans.__('Schema');
    if (notebooks) {
      followNotebookSchemas(notebooks, _model, members => {
        this._members = members;
        this.update();
      });
    }
  }

  /** Inserts a column's name at the active cell's cursor. */
  private _insertColumn = (name: string): void => {
    const text = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name}']`;
    if (this._commands.isEnabled(CellCommandIDs.insertText, { text })) {
      void this._commands.execute(CellCommandIDs.insertText, { text });
    }
  };

  /** Inserts a KQL cell with the table's starter query in the current notebook. */
  private _insertQuery = (table: ITableInfo): void => {
    if (this._commands.isEnabled(CellCommandIDs.insertKqlCell)) {
      void this._commands.execute(CellCommandIDs.insertKqlCell, {
        query: starterQuery(table)
      });
    } else {
      Notification.info(
        this._trans.__('Open a notebook to insert a query for %1.', table.name)
      );
    }
  };

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => this._renderSchema()}
      </UseSignal>
    );
  }

  private _renderSchema(): JSX.Element {
    const { active, schema, schemaError } = this._model;
    const trans = this._trans;
    const members = this._members;
    if (members) {
      return (
        <>
          <div className="jp-SentinelSchema-union">
            {trans.__(
              "The notebook's workspaces: %1. Each table is the union of theirs; %2 names each row's workspace.",
              members.map(m => m.name).join(', '),
              WORKSPACE_COLUMN
            )}
          </div>
          <SchemaTree
            key={members.map(m => m.id).join('\n')}
            tables={unionTables(members)}
            trans={trans}
            onInsertQuery={this._insertQuery}
            onInsertColumn={this._insertColumn}
          />
        </>
      );
    }
    if (!active) {
      return (
        <div className="jp-SentinelMessage">
          {trans.__('No workspace selected.')}
        </div>
      );
    }
    if (schemaError) {
      return (
        <div className="jp-SentinelMessage" role="alert">
          {trans.__(
            'The schema of %1 could not be read: %2',
            active.name,
            schemaError
          )}
        </div>
      );
    }
    if (active.status !== 'ready') {
      return (
        <div className="jp-SentinelMessage">
          {trans.__('%1 is not ready yet.', active.name)}
        </div>
      );
    }
    if (!schema) {
      return (
        <div className="jp-SentinelMessage">
          {trans.__('Reading the schema…')}
        </div>
      );
    }
    return (
      <SchemaTree
        key={schema.workspace}
        tables={schema.tables}
        trans={trans}
        onInsertQuery={this._insertQuery}
        onInsertColumn={this._insertColumn}
      />
    );
  }

  private _members: IMemberSchema[] | null = null;
}
