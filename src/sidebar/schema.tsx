import type { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretRightIcon,
  ReactWidget,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';
import type { ISentinelWorkspaces, ITableInfo } from '../tokens';

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
}

/** The tables of a workspace by category; a table expands to its columns with KQL types. */
export function SchemaTree({ tables, trans }: ISchemaTreeProps): JSX.Element {
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

/** The Schema section of the sidebar: the active workspace's tables. */
export class SchemaPanel extends ReactWidget {
  constructor(
    private readonly _model: ISentinelWorkspaces,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-SentinelSection');
    this.title.label = _trans.__('Schema');
  }

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
      <SchemaTree key={schema.workspace} tables={schema.tables} trans={trans} />
    );
  }
}
