/**
 * Microsoft's documented KQL examples with their documented output
 * (../shared/corpus/kql_doc_cases.dev.jsonl), compiled and run on DuckDB. Each case must give the
 * documented rows, or be reported as not supported locally — never a wrong result, never a crash.
 */
import * as path from 'path';

import {
  DOCUMENTED_DIFFERENCES as KNOWN,
  type IDocCase,
  orderMatters,
  readDocCases
} from '../node/doccases';
import { runKql, sameRows } from './harness';

const cases = readDocCases(
  path.resolve(__dirname, '../../../../shared/corpus/kql_doc_cases.dev.jsonl')
);

// Loading Kusto.Language takes seconds on a loaded machine: not part of the first case's time.
beforeAll(() => runKql('print 1'), 120_000);

describe('documented KQL examples', () => {
  const outcomes: Record<string, number> = {
    match: 0,
    unsupported: 0,
    known: 0
  };

  afterAll(() => {
    process.stdout.write(
      `documented examples: ${cases.length}; matching ${outcomes.match}, not supported locally ${outcomes.unsupported}, known differences ${outcomes.known}\n`
    );
  });

  it.each(cases.map(c => [c.id, c]))('%s', async (_id, docCase) => {
    const c = docCase as IDocCase;
    const outcome = await runKql(c.query);
    if (KNOWN[c.id]) {
      outcomes.known++;
      return;
    }
    if (outcome.kind === 'unsupported') {
      outcomes.unsupported++;
      expect(outcome.message).toMatch(/^not supported locally: /);
      return;
    }
    expect(outcome).toMatchObject({ kind: 'rows' });
    if (outcome.kind !== 'rows') {
      return;
    }
    expect(outcome.columns).toEqual(c.expected_columns);
    const matches = sameRows(outcome.rows, c.expected_rows, orderMatters(c));
    if (!matches) {
      expect(outcome.rows).toEqual(c.expected_rows);
    }
    outcomes.match++;
  });
});
