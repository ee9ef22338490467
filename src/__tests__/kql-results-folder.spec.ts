/**
 * Where a notebook's KQL results are saved: a folder of its own under `results/`, kept when the
 * notebook is renamed or moved, new when the notebook is a copy of one that is still there.
 */
import {
  newResultsFolder,
  notebookResults,
  otherVariables,
  ownResultsFolder,
  proposeVariable,
  resultCellSource,
  resultPath,
  resultTablesCellSource,
  setKqlCell,
  setKqlCellTables,
  setKqlVariable,
  shortId,
  tableVariable
} from '../cells/metadata';
import { tablePath } from '../tokens';
import { MetadataModel } from './metadata-model';

/** The notebooks of a Jupyter root, by path, as the contents API would tell them. */
function files(...paths: string[]): {
  exists: (path: string) => Promise<boolean>;
  asked: string[];
} {
  const asked: string[] = [];
  return {
    asked,
    exists: async path => {
      asked.push(path);
      return paths.includes(path);
    }
  };
}

/** Ids handed out in order, so a test knows which one a folder got. */
function ids(...values: string[]): () => string {
  return () => values.shift()!;
}

describe('A notebook’s results folder', () => {
  it('is the notebook’s name and a short id, in characters any file system takes', () => {
    expect(newResultsFolder('cases/1042/hunt.ipynb', '3f9a2c')).toBe(
      'hunt-3f9a2c'
    );
    expect(newResultsFolder('Hunt 1 (copy).ipynb', 'a1b2c3')).toBe(
      'Hunt_1_copy-a1b2c3'
    );
    expect(newResultsFolder('cases/Ünïcode.ipynb', 'a1b2c3')).toBe(
      'n_code-a1b2c3'
    );
    expect(newResultsFolder('..ipynb', 'a1b2c3')).toBe('a1b2c3');
    expect(shortId()).toMatch(/^[0-9a-f]{6}$/);
    expect(shortId()).not.toBe(shortId());
  });

  it('is made at the first run and recorded with the notebook’s path', async () => {
    const notebook = new MetadataModel('notebook');
    notebook.setMetadata('sentinel', {
      workspace: { backend: 'local', id: 'demo' }
    });
    const root = files('cases/hunt.ipynb');
    expect(
      await ownResultsFolder(
        notebook,
        'cases/hunt.ipynb',
        root.exists,
        ids('3f9a2c')
      )
    ).toBe('hunt-3f9a2c');
    expect(notebook.getMetadata('sentinel')).toEqual({
      workspace: { backend: 'local', id: 'demo' },
      results: { folder: 'hunt-3f9a2c', path: 'cases/hunt.ipynb' }
    });
    // The next run finds it without asking the server.
    expect(
      await ownResultsFolder(
        notebook,
        'cases/hunt.ipynb',
        root.exists,
        ids('ffffff')
      )
    ).toBe('hunt-3f9a2c');
    expect(root.asked).toEqual([]);
  });

  it('gives two notebooks with one DataFrame name in one folder different files', async () => {
    const first = new MetadataModel('notebook');
    const second = new MetadataModel('notebook');
    const root = files('cases/a.ipynb', 'cases/b.ipynb');
    const a = await ownResultsFolder(first, 'cases/a.ipynb', root.exists);
    const b = await ownResultsFolder(second, 'cases/b.ipynb', root.exists);
    expect(resultPath('cases/a.ipynb', 'signins', `results/${a}`)).toMatch(
      /^cases\/results\/a-[0-9a-f]{6}\/signins\.parquet$/
    );
    expect(resultPath('cases/a.ipynb', 'signins', `results/${a}`)).not.toBe(
      resultPath('cases/b.ipynb', 'signins', `results/${b}`)
    );
  });

  it('stays with a renamed or moved notebook: nothing is left at the old path', async () => {
    const notebook = new MetadataModel('notebook');
    notebook.setMetadata('sentinel', {
      results: { folder: 'hunt-3f9a2c', path: 'cases/hunt.ipynb' }
    });
    const root = files('cases/spray hunt.ipynb');
    expect(
      await ownResultsFolder(
        notebook,
        'cases/spray hunt.ipynb',
        root.exists,
        ids('ffffff')
      )
    ).toBe('hunt-3f9a2c');
    expect(root.asked).toEqual(['cases/hunt.ipynb']);
    expect(notebookResults(notebook)).toEqual({
      folder: 'hunt-3f9a2c',
      path: 'cases/spray hunt.ipynb'
    });
  });

  it('is new for a copy whose original is still there (Duplicate, Save As)', async () => {
    const original = new MetadataModel('notebook');
    original.setMetadata('sentinel', {
      results: { folder: 'hunt-3f9a2c', path: 'hunt.ipynb' }
    });
    // Duplicate copies the file, metadata and all.
    const copy = new MetadataModel('notebook');
    copy.metadata = JSON.parse(JSON.stringify(original.metadata));
    const root = files('hunt.ipynb', 'hunt-Copy1.ipynb');
    expect(
      await ownResultsFolder(
        copy,
        'hunt-Copy1.ipynb',
        root.exists,
        ids('a1b2c3')
      )
    ).toBe('hunt-Copy1-a1b2c3');
    expect(notebookResults(copy)).toEqual({
      folder: 'hunt-Copy1-a1b2c3',
      path: 'hunt-Copy1.ipynb'
    });
    // The original keeps its own.
    expect(
      await ownResultsFolder(original, 'hunt.ipynb', root.exists, ids('ffffff'))
    ).toBe('hunt-3f9a2c');
  });

  it('is new when the server cannot tell whether the original is there', async () => {
    const notebook = new MetadataModel('notebook');
    notebook.setMetadata('sentinel', {
      results: { folder: 'hunt-3f9a2c', path: 'hunt.ipynb' }
    });
    expect(
      await ownResultsFolder(
        notebook,
        'other.ipynb',
        async () => true,
        ids('a1b2c3')
      )
    ).toBe('other-a1b2c3');
  });

  it('is never a folder the metadata names outside the results folder', async () => {
    for (const folder of ['..', '../x', 'a/b', '', '.hidden', 3]) {
      const notebook = new MetadataModel('notebook');
      notebook.setMetadata('sentinel', {
        results: { folder, path: 'hunt.ipynb' }
      });
      expect(notebookResults(notebook)).toBeNull();
      expect(
        await ownResultsFolder(
          notebook,
          'hunt.ipynb',
          async () => true,
          ids('a1b2c3')
        )
      ).toBe('hunt-a1b2c3');
    }
  });

  it('is read by the result cell relative to the notebook, as nbconvert runs it', () => {
    expect(resultCellSource('signins', [], 'results/hunt-3f9a2c')).toBe(
      'import pandas as pd\nsignins = pd.read_parquet("results/hunt-3f9a2c/signins.parquet")\nsignins.head()'
    );
  });
});

describe('the results of a batch (A; B: one table per tabular statement)', () => {
  it('names the tables variable, variable_table_1… and saves each where its variable is read', () => {
    const path = resultPath(
      'cases/hunt.ipynb',
      'signins',
      'results/hunt-3f9a2c'
    );
    for (const index of [0, 1, 2]) {
      expect(tablePath(path, index)).toBe(
        resultPath(
          'cases/hunt.ipynb',
          tableVariable('signins', index),
          'results/hunt-3f9a2c'
        )
      );
    }
    expect(tablePath(path, 2)).toBe(
      'cases/results/hunt-3f9a2c/signins_table_2.parquet'
    );
  });

  it('never names a table as another cell on the same table is named', () => {
    const taken = ['signinlogs_df'];
    for (let n = 0; n < 5; n++) {
      const proposed = proposeVariable('SigninLogs | take 5', taken);
      for (const index of [1, 2, 3, 4, 5]) {
        expect(tableVariable('signinlogs_df', index)).not.toBe(proposed);
      }
      taken.push(proposed);
    }
  });

  it('counts the later DataFrames of a batch cell as taken, so no other cell is given them', () => {
    const batch = new MetadataModel();
    setKqlCell(batch, true);
    setKqlVariable(batch, 'signinlogs_df');
    setKqlCellTables(batch, 3);
    expect(otherVariables([batch], null)).toEqual([
      'signinlogs_df',
      'signinlogs_df_table_1',
      'signinlogs_df_table_2'
    ]);
    // One table again: the later names are free.
    setKqlCellTables(batch, 1);
    expect(otherVariables([batch], null)).toEqual(['signinlogs_df']);
    expect(batch.getMetadata('sentinel')).toEqual({
      kql: true,
      variable: 'signinlogs_df'
    });
  });

  it('loads every table into its DataFrame in one cell and shows the first rows of each', () => {
    expect(
      resultTablesCellSource(
        [
          { variable: 'signins', dynamicColumns: [] },
          { variable: 'signins_table_1', dynamicColumns: ['Details'] }
        ],
        'results'
      )
    ).toBe(
      [
        'import json',
        'import pandas as pd',
        'signins = pd.read_parquet("results/signins.parquet")',
        'signins_table_1 = pd.read_parquet("results/signins_table_1.parquet")',
        '# Dynamic columns hold JSON text (signins_table_1["Details"]); to parse one into Python objects:',
        '# signins_table_1["Details"] = signins_table_1["Details"].map(json.loads, na_action="ignore")',
        'display(signins.head())',
        'signins_table_1.head()'
      ].join('\n')
    );
  });
});
