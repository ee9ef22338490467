import { appendClause, kqlColumn, whereClause } from '../filter';

describe('Include / Exclude this value', () => {
  it('quotes each type as KQL reads it', () => {
    const cases: [string, unknown, string][] = [
      ['string', 'adele "the" \\ vance\n', '"adele \\"the\\" \\\\ vance\\n"'],
      [
        'datetime',
        '2026-10-01T04:41:07.1234567Z',
        'datetime(2026-10-01T04:41:07.1234567Z)'
      ],
      ['timespan', '1.02:03:04.5000000', 'timespan(1.02:03:04.5000000)'],
      ['long', 42, '42'],
      ['long', '9007199254740993', '9007199254740993'],
      ['int', -7, '-7'],
      ['real', 2.5, 'real(2.5)'],
      ['real', 'NaN', 'real(nan)'],
      ['real', '-Infinity', 'real(-inf)'],
      ['bool', true, 'true'],
      ['bool', false, 'false'],
      [
        'guid',
        '74be27de-1e4e-49d9-b579-fe0b331d3642',
        'guid(74be27de-1e4e-49d9-b579-fe0b331d3642)'
      ]
    ];
    for (const [type, value, literal] of cases) {
      expect(
        whereClause({ name: 'Col', type } as never, value as never, true)
      ).toBe(`| where Col == ${literal}`);
    }
    expect(whereClause({ name: 'Col', type: 'string' }, 'x', false)).toBe(
      '| where Col != "x"'
    );
  });

  it('compares a dynamic value as its JSON text', () => {
    expect(
      whereClause(
        { name: 'Details', type: 'dynamic' },
        { city: 'Delft' },
        false
      )
    ).toBe('| where tostring(Details) != "{\\"city\\":\\"Delft\\"}"');
  });

  it('tests a missing value with isnull, or isempty for a string', () => {
    expect(whereClause({ name: 'Port', type: 'long' }, null, true)).toBe(
      '| where isnull(Port)'
    );
    expect(whereClause({ name: 'Port', type: 'long' }, null, false)).toBe(
      '| where isnotnull(Port)'
    );
    expect(whereClause({ name: 'City', type: 'string' }, null, true)).toBe(
      '| where isempty(City)'
    );
    expect(whereClause({ name: 'City', type: 'string' }, null, false)).toBe(
      '| where isnotempty(City)'
    );
  });

  it('brackets a column name that is not an identifier', () => {
    expect(kqlColumn('Attempts')).toBe('Attempts');
    expect(kqlColumn('count_ of "x"')).toBe('["count_ of \\"x\\""]');
    expect(whereClause({ name: 'a b', type: 'long' }, 1, true)).toBe(
      '| where ["a b"] == 1'
    );
  });

  it('appends the clause on its own line, before a final render', () => {
    expect(appendClause('T | take 5 // five\n', '| where x == 1')).toBe(
      'T | take 5 // five\n| where x == 1'
    );
    expect(appendClause('T | take 5;', '| where x == 1')).toBe(
      'T | take 5\n| where x == 1'
    );
    expect(
      appendClause(
        'T\n| summarize count() by bin(t, 1h)\n| render timechart',
        '| where x == 1'
      )
    ).toBe(
      'T\n| summarize count() by bin(t, 1h)\n| where x == 1\n| render timechart'
    );
  });
});
