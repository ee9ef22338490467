/**
 * Reading the measurement corpora: schema files and JSON-lines query files whose entries may hold
 * several queries separated by blank lines (as Kusto's editors split them).
 */
import * as fs from 'fs';

import type { IColumnInfo } from '../types';
import { scalarType } from '../types';

/** Tables of a schema file. */
export type SchemaTables = { name: string; columns: IColumnInfo[] }[];

/**
 * Reads a schema file: either `{Table: [[column, type], …]}` (the corpus' table_schemas.json) or a
 * workspace schema `{tables: [{name, columns: [{name, type}]}]}` as the Jupyter server returns it.
 */
export function readSchema(file: string): SchemaTables {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (
    data &&
    typeof data === 'object' &&
    Array.isArray((data as { tables?: unknown }).tables)
  ) {
    return (data as { tables: SchemaTables }).tables.map(t => ({
      name: t.name,
      columns: t.columns.map(c => ({ name: c.name, type: kql(c.type) }))
    }));
  }
  return Object.entries(data as Record<string, [string, string][]>).map(
    ([name, columns]) => ({
      name,
      columns: columns.map(([column, type]) => ({
        name: column,
        type: kql(type)
      }))
    })
  );
}

function kql(type: string): IColumnInfo['type'] {
  const t = scalarType(type);
  return t === 'unknown' ? 'dynamic' : t;
}

/** The queries of a JSON-lines file (`query` field), with their line numbers. */
export function readQueries(
  file: string
): { line: number; query: string; label: string }[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.trim())
    .map(({ text, line }) => {
      const entry = JSON.parse(text) as {
        query: string;
        path?: string;
        id?: string;
        source?: string;
      };
      return {
        line,
        query: entry.query,
        label: entry.id ?? entry.path ?? entry.source ?? `line ${line}`
      };
    });
}

/**
 * Splits an entry into the queries it holds: blocks separated by blank lines, without the blocks
 * that hold only comments.
 */
export function splitBlocks(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map(block => block.trim())
    .filter(block => block && !commentsOnly(block));
}

/**
 * True when every line of a block is blank or a `//` comment. Tested line by line: one regular
 * expression over the block (a repeated group of optional spaces and a comment) backtracks
 * exponentially on long runs of comment lines.
 */
function commentsOnly(block: string): boolean {
  return block.split('\n').every(line => {
    const text = line.trim();
    return !text || text.startsWith('//');
  });
}
