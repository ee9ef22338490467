/**
 * KQL cells: the metadata they are stored with, the DataFrame names proposed for their results,
 * where results are saved, the executor's routing, and the KQL highlighting tokenizer.
 */
import type { INotebookCellExecutor } from '@jupyterlab/notebook';
import type { PartialJSONValue } from '@lumino/coreutils';
import { StringStream } from '@codemirror/language';
import { KqlCellExecutor } from '../cells/executor';
import { kqlStreamParser } from '../cells/language';
import {
  firstTable,
  isIdentifier,
  isKqlCell,
  kqlCellMetadata,
  notebookWorkspace,
  proposeVariable,
  resultCellMetadata,
  resultCellSource,
  resultOf,
  resultPath,
  resultTablesCellSource,
  setKqlCell,
  setKqlDataFrame,
  setKqlJob,
  isTimeRange,
  resultsFolder,
  setKqlTimeRange,
  setKqlVariable,
  setNotebookWorkspace,
  sparkResultCellSource,
  timeWindow
} from '../cells/metadata';
import { describeDiagnostics } from '../cells/runner';
import { MetadataModel } from './metadata-model';
import type { IKqlDiagnostic } from '../kql/index';
import { nullTranslator } from '@jupyterlab/translation';

describe('KQL cell metadata', () => {
  it('reads the templates’ convention: sentinel.kql and sentinel.variable', () => {
    const cell = new MetadataModel('code', {
      sentinel: { kql: true, variable: 'logons' }
    });
    expect(isKqlCell(cell)).toBe(true);
    expect(kqlCellMetadata(cell)).toEqual({
      variable: 'logons',
      timeRange: null,
      dataframe: 'pandas'
    });
  });

  it('is not a KQL cell without the mark, or when not a code cell', () => {
    expect(isKqlCell(new MetadataModel('code'))).toBe(false);
    expect(
      isKqlCell(new MetadataModel('code', { sentinel: { kql: 'yes' } }))
    ).toBe(false);
    expect(
      isKqlCell(new MetadataModel('markdown', { sentinel: { kql: true } }))
    ).toBe(false);
  });

  it('ignores a variable Python would not accept', () => {
    const cell = new MetadataModel('code', {
      sentinel: { kql: true, variable: 'import' }
    });
    expect(kqlCellMetadata(cell)).toEqual({
      variable: null,
      timeRange: null,
      dataframe: 'pandas'
    });
  });

  it('toggles the mark, keeping the variable and other metadata', () => {
    const cell = new MetadataModel('code', { tags: ['hunt'] });
    setKqlCell(cell, true);
    setKqlVariable(cell, 'signins');
    expect(cell.metadata).toEqual({
      tags: ['hunt', 'skip-execution'],
      sentinel: { kql: true, variable: 'signins' }
    });
    setKqlCell(cell, false);
    expect(isKqlCell(cell)).toBe(false);
    expect(cell.metadata).toEqual({
      tags: ['hunt'],
      sentinel: { variable: 'signins' }
    });
    setKqlCell(cell, true);
    expect(kqlCellMetadata(cell)).toEqual({
      variable: 'signins',
      timeRange: null,
      dataframe: 'pandas'
    });
  });

  it('records a Spark DataFrame for the linked cell, pandas when unset', () => {
    const cell = new MetadataModel('code', { sentinel: { kql: true } });
    setKqlDataFrame(cell, 'spark');
    expect(cell.metadata).toEqual({
      sentinel: { kql: true, dataframe: 'spark' }
    });
    expect(kqlCellMetadata(cell)?.dataframe).toBe('spark');
    setKqlDataFrame(cell, 'pandas');
    expect(cell.metadata).toEqual({ sentinel: { kql: true } });
    const odd = new MetadataModel('code', {
      sentinel: { kql: true, dataframe: 'polars' }
    });
    expect(kqlCellMetadata(odd)?.dataframe).toBe('pandas');
  });

  it('writes a Spark result cell that runs the SQL of each table on the workspace by id', () => {
    const source = sparkResultCellSource('lake', [
      { variable: 'signins_df', sql: "SELECT 'a\\d' AS s\nFROM `T`" },
      { variable: 'signins_df_table_1', sql: 'SELECT 1' }
    ]);
    expect(source).toBe(
      [
        'from jupyterlab_sentinel.kernel import spark_sql',
        'signins_df = spark_sql("lake", "SELECT \'a\\\\d\' AS s\\nFROM `T`")',
        'signins_df_table_1 = spark_sql("lake", "SELECT 1")',
        'display(signins_df.limit(5).toPandas())',
        'signins_df_table_1.limit(5).toPandas()'
      ].join('\n')
    );
  });

  it('leaves a marked cell untouched when marked again', () => {
    const cell = new MetadataModel('code', {
      sentinel: { kql: true },
      tags: ['skip-execution']
    });
    const before = cell.metadata;
    setKqlCell(cell, true);
    expect(cell.metadata).toBe(before);
  });

  it('removes the sentinel block and tags when nothing is left in them', () => {
    const cell = new MetadataModel('code');
    setKqlCell(cell, true);
    setKqlCell(cell, false);
    expect(cell.metadata).toEqual({});
  });

  it('links a result cell to its KQL cell by id', () => {
    const result = new MetadataModel(
      'code',
      resultCellMetadata('abc-123') as never
    );
    expect(resultOf(result)).toBe('abc-123');
    expect(resultOf(new MetadataModel())).toBeNull();
  });

  it('remembers the notebook’s workspace next to other Sentinel metadata', () => {
    const notebook = new MetadataModel('notebook', {
      sentinel: { title: 'Spray' }
    });
    expect(notebookWorkspace(notebook)).toBeNull();
    setNotebookWorkspace(notebook, { backend: 'local', id: 'demo' });
    expect(notebook.metadata.sentinel).toEqual({
      title: 'Spray',
      workspace: { backend: 'local', id: 'demo' }
    });
    expect(notebookWorkspace(notebook)).toEqual({
      backend: 'local',
      id: 'demo'
    });
  });
});

describe('DataFrame names', () => {
  it.each([
    ['SigninLogs | where ResultType != "0"', 'SigninLogs'],
    ['  // recent sign-ins\nSigninLogs\n| take 10', 'SigninLogs'],
    [
      'let end_time = toscalar(SecurityEvent | summarize max(TimeGenerated));\nSecurityEvent\n| where TimeGenerated > end_time - 30d',
      'SecurityEvent'
    ],
    [
      'union withsource=T DeviceLogonEvents, SecurityEvent',
      'DeviceLogonEvents'
    ],
    ["['My Table'] | count", 'My Table'],
    ['print x = 1', null],
    ['range x from 1 to 3 step 1', null],
    ['', null]
  ])('the first table of %j is %j', (query, table) => {
    expect(firstTable(query)).toBe(table);
  });

  it('proposes the first table in lower case with _df', () => {
    expect(
      proposeVariable(
        'SigninLogs | where ResultType != "0" | summarize Accounts = dcount(UserPrincipalName) by IPAddress | top 3 by Accounts'
      )
    ).toBe('signinlogs_df');
    expect(proposeVariable("['My Table'] | count")).toBe('my_table_df');
    expect(proposeVariable('print 1')).toBe('result_df');
    expect(proposeVariable('datatable(x: int) [1]')).toBe('result_df');
  });

  it('numbers a name other KQL cells already use', () => {
    expect(
      proposeVariable('SigninLogs | take 1', [
        'signinlogs_df',
        'signinlogs_df_2'
      ])
    ).toBe('signinlogs_df_3');
  });

  it('always proposes a Python identifier', () => {
    for (const query of ['_1Table | count', "['1 weird-name'] | count"]) {
      expect(isIdentifier(proposeVariable(query))).toBe(true);
    }
    expect(isIdentifier('pd')).toBe(false);
    expect(isIdentifier('lambda')).toBe(false);
  });
});

describe('Result files and cells', () => {
  it('saves results in results/ beside the notebook, relative to the Jupyter root', () => {
    expect(resultPath('cases/1042/hunt.ipynb', 'signinlogs_df')).toBe(
      'cases/1042/results/signinlogs_df.parquet'
    );
    expect(resultPath('hunt.ipynb', 'signinlogs_df')).toBe(
      'results/signinlogs_df.parquet'
    );
  });

  it('loads the result with pandas, relative to the notebook', () => {
    expect(resultCellSource('signinlogs_df')).toBe(
      'import pandas as pd\nsigninlogs_df = pd.read_parquet("results/signinlogs_df.parquet")\nsigninlogs_df.head()'
    );
  });

  it('reads a time range as the API’s timespan reads it', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(timeWindow('PT1H', now)).toEqual({
      start: new Date('2026-11-25T11:00:00Z'),
      end: now
    });
    expect(timeWindow('P7D', now)?.start).toEqual(
      new Date('2026-11-18T12:00:00Z')
    );
    expect(
      timeWindow('2026-10-01T00:00:00Z/2026-10-02T00:00:00Z', now)
    ).toEqual({
      start: new Date('2026-10-01T00:00:00Z'),
      end: new Date('2026-10-02T00:00:00Z')
    });
    expect(timeWindow(null, now)).toBeNull();
    // An end before the start, or text that is not a range, is no window at all.
    expect(
      timeWindow('2026-10-02T00:00:00Z/2026-10-01T00:00:00Z', now)
    ).toBeNull();
    expect(timeWindow('yesterday', now)).toBeNull();
    expect(isTimeRange('P1D')).toBe(true);
    expect(isTimeRange('P5D')).toBe(false);
  });

  it('stores the time range in the cell, and forgets it for “set in query”', () => {
    const cell = new MetadataModel('code', { sentinel: { kql: true } });
    setKqlTimeRange(cell, 'P7D');
    expect(kqlCellMetadata(cell)?.timeRange).toBe('P7D');
    setKqlTimeRange(cell, null);
    expect(cell.getMetadata('sentinel')).toEqual({ kql: true });
  });

  it('saves results in the folder the setting names, never outside the notebook’s', () => {
    expect(resultsFolder('hunt results/')).toBe('hunt results');
    expect(resultsFolder('./a//b')).toBe('a/b');
    expect(resultsFolder('')).toBe('results');
    expect(resultsFolder('../elsewhere')).toBe('results');
    expect(resultsFolder('/tmp')).toBe('results');
    expect(resultsFolder(3)).toBe('results');
    expect(resultPath('cases/hunt.ipynb', 'df', 'out')).toBe(
      'cases/out/df.parquet'
    );
    expect(resultCellSource('df', [], 'out')).toContain(
      'pd.read_parquet("out/df.parquet")'
    );
  });

  it('keeps dynamic columns as JSON text and says how to parse one', () => {
    expect(resultCellSource('df', ['DeviceDetail', 'Location "x"'])).toBe(
      [
        'import json',
        'import pandas as pd',
        'df = pd.read_parquet("results/df.parquet")',
        '# Dynamic columns hold JSON text (df["DeviceDetail"], df["Location \\"x\\""]); to parse one into Python objects:',
        '# df["DeviceDetail"] = df["DeviceDetail"].map(json.loads, na_action="ignore")',
        'df.head()'
      ].join('\n')
    );
  });

  it('keeps parsing the dynamic columns the loader it replaces parsed', () => {
    const before = [
      'import json',
      'import pandas as pd',
      'df = pd.read_parquet("results/df.parquet")',
      'df["DeviceDetail"] = df["DeviceDetail"].map(json.loads, na_action="ignore")',
      'df.head()'
    ].join('\n');
    expect(
      resultTablesCellSource(
        [{ variable: 'df', dynamicColumns: ['DeviceDetail', 'Status'] }],
        'results',
        before
      )
    ).toBe(
      [
        'import json',
        'import pandas as pd',
        'df = pd.read_parquet("results/df.parquet")',
        'df["DeviceDetail"] = df["DeviceDetail"].map(json.loads, na_action="ignore")',
        '# Dynamic columns hold JSON text (df["Status"]); to parse one into Python objects:',
        '# df["Status"] = df["Status"].map(json.loads, na_action="ignore")',
        'df.head()'
      ].join('\n')
    );
  });

  it('loads results through job.result when the kernel has the package: a job queries again', () => {
    const tables = [
      { variable: 'df', dynamicColumns: ['DeviceDetail'] },
      { variable: 'df_table_1', dynamicColumns: [] }
    ];
    const loader = resultTablesCellSource(
      tables,
      'results/hunt-3f9a2c',
      '',
      'cell-1'
    );
    expect(loader).toBe(
      [
        'import json',
        'from jupyterlab_sentinel.job import result',
        'df = result("results/hunt-3f9a2c/df.parquet", cell="cell-1")',
        'df_table_1 = result("results/hunt-3f9a2c/df_table_1.parquet", cell="cell-1", table=1)',
        '# Dynamic columns hold JSON text (df["DeviceDetail"]); to parse one into Python objects:',
        '# df["DeviceDetail"] = df["DeviceDetail"].map(json.loads, na_action="ignore")',
        'display(df.head())',
        'df_table_1.head()'
      ].join('\n')
    );
    // A loader that parsed the column, in either form, keeps it parsed.
    const parsing = [
      'from jupyterlab_sentinel.job import result',
      'df = result("results/hunt-3f9a2c/df.parquet", cell="cell-1", dynamic=["DeviceDetail"])',
      'df.head()'
    ].join('\n');
    for (const previous of [
      parsing,
      resultTablesCellSource(tables, 'results/hunt-3f9a2c', parsing)
    ]) {
      expect(
        resultTablesCellSource(
          tables,
          'results/hunt-3f9a2c',
          previous,
          'cell-1'
        )
      ).toBe(
        [
          'from jupyterlab_sentinel.job import result',
          'df = result("results/hunt-3f9a2c/df.parquet", cell="cell-1", dynamic=["DeviceDetail"])',
          'df_table_1 = result("results/hunt-3f9a2c/df_table_1.parquet", cell="cell-1", table=1)',
          'display(df.head())',
          'df_table_1.head()'
        ].join('\n')
      );
    }
  });

  it('records what a job runs again, with the instant and range it ran with', () => {
    const cell = new MetadataModel('code', {
      sentinel: { kql: true, variable: 'df', timeRange: 'P1D' }
    });
    const ranAt = new Date('2026-11-01T12:00:00.123Z');
    setKqlJob(
      cell,
      {
        backend: 'local',
        workspace: 'demo',
        engine: 'duckdb',
        statements: [{ sql: 'SELECT 1' }]
      },
      ranAt,
      'P1D'
    );
    expect(cell.getMetadata('sentinel')).toEqual({
      kql: true,
      variable: 'df',
      timeRange: 'P1D',
      job: {
        backend: 'local',
        workspace: 'demo',
        engine: 'duckdb',
        statements: [{ sql: 'SELECT 1' }],
        now: '2026-11-01T12:00:00.123Z',
        timeRange: 'P1D'
      }
    });
    setKqlJob(cell, null, ranAt, null);
    expect(cell.getMetadata('sentinel')).toEqual({
      kql: true,
      variable: 'df',
      timeRange: 'P1D'
    });
  });

  it('describes diagnostics with line and column, as plain text, the hint said once', () => {
    const diagnostic = {
      code: 'KS204',
      stage: 'semantic',
      severity: 'error',
      message:
        "The name 'SiginLogs' does not refer to any known table. Did you mean 'SigninLogs'?",
      line: 2,
      column: 5,
      endLine: 2,
      endColumn: 14,
      start: 0,
      end: 9,
      suggestion: 'SigninLogs'
    } as unknown as IKqlDiagnostic;
    expect(describeDiagnostics([diagnostic], nullTranslator.load('test'))).toBe(
      "Line 2, column 5: The name 'SiginLogs' does not refer to any known table. Did you mean 'SigninLogs'?"
    );
  });
});

describe('KqlCellExecutor', () => {
  const notebook = {};
  const options = (
    metadata: Record<string, PartialJSONValue>,
    inNotebook: object = notebook
  ): INotebookCellExecutor.IRunCellOptions =>
    ({
      cell: { model: new MetadataModel('code', metadata) },
      notebook: inNotebook
    }) as unknown as INotebookCellExecutor.IRunCellOptions;

  it('lets the cells after a running KQL cell wait for its result (Run All)', async () => {
    const order: string[] = [];
    let finish: (ok: boolean) => void = () => undefined;
    const runner = {
      run: jest.fn(
        () =>
          new Promise<boolean>(resolve => {
            order.push('kql started');
            finish = ok => {
              order.push('kql done');
              resolve(ok);
            };
          })
      )
    };
    const fallback = jest.fn(async () => {
      order.push('python');
      return true;
    });
    const executor = new KqlCellExecutor(fallback);
    executor.runner = runner;
    const own = {};
    // JupyterLab hands over every cell of a Run All at once.
    const runs = [
      executor.runCell(options({ sentinel: { kql: true } }, own)),
      executor.runCell(options({}, own)),
      executor.runCell(options({}, own))
    ];
    await Promise.resolve();
    expect(order).toEqual(['kql started']);
    finish(true);
    expect(await Promise.all(runs)).toEqual([true, true, true]);
    expect(order).toEqual(['kql started', 'kql done', 'python', 'python']);
    // Once the run is over, a cell runs at once again.
    await executor.runCell(options({}, own));
    expect(order).toHaveLength(5);
  });

  it('skips the rest of a run after a KQL cell failed, as the kernel does after an error', async () => {
    const fallback = jest.fn(async () => true);
    const executor = new KqlCellExecutor(fallback);
    executor.runner = { run: jest.fn(async () => false) };
    const own = {};
    const runs = [
      executor.runCell(options({ sentinel: { kql: true } }, own)),
      executor.runCell(options({}, own))
    ];
    expect(await Promise.all(runs)).toEqual([false, false]);
    expect(fallback).not.toHaveBeenCalled();
  });

  it('sends KQL cells to the runner and other cells to JupyterLab’s executor', async () => {
    const fallback = jest.fn(async () => true);
    const runner = { run: jest.fn(async () => true) };
    const executor = new KqlCellExecutor(fallback);
    executor.runner = runner;
    await executor.runCell(options({ sentinel: { kql: true } }));
    await executor.runCell(options({}));
    expect(runner.run).toHaveBeenCalledTimes(1);
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  it('never sends a KQL cell to the kernel, even before the runner is set', async () => {
    const fallback = jest.fn(async () => true);
    const executor = new KqlCellExecutor(fallback);
    expect(await executor.runCell(options({ sentinel: { kql: true } }))).toBe(
      false
    );
    expect(fallback).not.toHaveBeenCalled();
  });
});

describe('KQL highlighting', () => {
  /** The tokens of one line as [text, style] pairs, spaces left out. */
  function tokens(line: string): [string, string | null][] {
    const state = kqlStreamParser.startState!(2);
    const stream = new StringStream(line, 2, 2);
    const out: [string, string | null][] = [];
    while (!stream.eol()) {
      stream.start = stream.pos;
      const style = kqlStreamParser.token(stream, state);
      if (stream.current().trim()) {
        out.push([stream.current(), style]);
      }
    }
    return out;
  }

  it('tells keywords, names, strings, operators, numbers and comments apart', () => {
    expect(
      tokens(
        'SigninLogs | where ResultType != "0" and TimeGenerated > ago(1d) // failures'
      )
    ).toEqual([
      ['SigninLogs', 'variableName'],
      ['|', 'operator'],
      ['where', 'keyword'],
      ['ResultType', 'variableName'],
      ['!=', 'operator'],
      ['"0"', 'string'],
      ['and', 'keyword'],
      ['TimeGenerated', 'variableName'],
      ['>', 'operator'],
      ['ago', 'variableName.function'],
      ['(', null],
      ['1d', 'number'],
      [')', null],
      ['// failures', 'comment']
    ]);
  });

  it('reads hyphenated operators, verbatim strings and types', () => {
    expect(
      tokens('| mv-expand x to typeof(string) | where p == @"C:\\x"')
    ).toEqual([
      ['|', 'operator'],
      ['mv-expand', 'keyword'],
      ['x', 'variableName'],
      ['to', 'keyword'],
      ['typeof', 'keyword'],
      ['(', null],
      ['string', 'typeName'],
      [')', null],
      ['|', 'operator'],
      ['where', 'keyword'],
      ['p', 'variableName'],
      ['==', 'operator'],
      ['@"C:\\x"', 'string']
    ]);
  });

  it('splits a name, a minus and a name that are not an operator', () => {
    expect(tokens('a-b')).toEqual([
      ['a', 'variableName'],
      ['-', 'operator'],
      ['b', 'variableName']
    ]);
  });
});
