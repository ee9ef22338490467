/**
 * The Spark SQL dialect's own spelling: literals Spark reads back as written, the constructs Spark
 * lacks written another way, and the DuckDB spelling of the same queries untouched. Whether Spark
 * accepts the SQL and gives DuckDB's rows is measured by `bin/kql check --dialect spark` and
 * `tests/test_spark_dialect.py`.
 */
import { compilerSchema, loadCompiler } from '..';
import { duckdb } from '../sql/dialects/duckdb';
import { spark } from '../sql/dialects/spark';

const SCHEMA = compilerSchema([
  {
    name: 'T',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'User', type: 'string' },
      { name: 'Props', type: 'dynamic' }
    ]
  }
]);
const NOW = new Date('2024-01-15T12:00:00Z');

async function sparkSql(query: string): Promise<string> {
  const compiler = await loadCompiler();
  const result = compiler.compile(query, SCHEMA, {
    now: NOW,
    dialect: 'spark'
  });
  expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  return result.sql!;
}

describe('Spark string literals', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "('it' || chr(39) || 's')"],
    ['C:\\Windows\\', "('C:\\Windows' || chr(92))"],
    ['a\\d+', "'a\\d+'"],
    ['', "''"],
    ['tab\there', "'tab\there'"],
    ['nul\u0000', "('nul' || chr(0))"]
  ])('%j is %s', (value, literal) => {
    expect(spark.string(value)).toBe(literal);
  });
});

describe('Spark dialect', () => {
  it('quotes identifiers with backticks', () => {
    expect(spark.identifier('a`b')).toBe('`a``b`');
  });

  it('holds dynamic values as VARIANT and returns them as JSON text', () => {
    expect(spark.type('dynamic')).toBe('VARIANT');
    expect(spark.resultColumn('`d`', 'dynamic')).toBe('to_json(`d`)');
    expect(spark.json('{"a": 1}')).toBe('parse_json(\'{"a": 1}\')');
  });

  it('reads Spark type names back as KQL types', () => {
    expect(spark.kqlType('STRING')).toBe('string');
    expect(spark.kqlType('BIGINT')).toBe('long');
    expect(spark.kqlType('INTERVAL DAY TO SECOND')).toBe('timespan');
    expect(spark.kqlType('DECIMAL(38,10)')).toBe('decimal');
  });

  it('starts every session with the same settings and functions', () => {
    expect(spark.prelude).toContain(
      'SET spark.sql.parser.escapedStringLiterals = true'
    );
    expect(
      spark.prelude.filter(s => s.startsWith('CREATE OR REPLACE TEMPORARY'))
        .length
    ).toBeGreaterThan(5);
    expect(duckdb.prelude).toEqual([]);
  });

  it('writes member access as Spark variant paths', async () => {
    const sql = await sparkSql(
      "T | extend City = tostring(Props.city), Key = Props['a b']"
    );
    expect(sql).toContain(
      "try_variant_get(`Props`, ('$[' || chr(39) || 'city' || chr(39) || ']'))"
    );
    expect(sql).toContain(
      "try_variant_get(`Props`, ('$[' || chr(39) || 'a b' || chr(39) || ']')) AS `Key`"
    );
  });

  it('filters on window functions in a subquery, without QUALIFY', async () => {
    const sql = await sparkSql(
      'T | summarize arg_max(TimeGenerated, *) by User'
    );
    expect(sql).not.toContain('QUALIFY');
    expect(sql).toContain('SELECT * EXCEPT (`__qualify`) FROM (SELECT');
    expect(sql).toContain('WHERE `__qualify`');
  });

  it('lines a union up by position, null where an input lacks a column', async () => {
    const sql = await sparkSql(
      'union (T | project User), (T | project TimeGenerated)'
    );
    expect(sql).not.toContain('BY NAME');
    expect(sql).toContain('CAST(NULL AS TIMESTAMP) AS `TimeGenerated`');
    expect(sql).toContain('CAST(NULL AS STRING) AS `User`');
  });

  it('bins on ticks from 0001-01-01 with its own function', async () => {
    const sql = await sparkSql(
      'T | summarize count() by bin(TimeGenerated, 1h)'
    );
    expect(sql).toContain(
      "kql_time_bucket((INTERVAL 1 MICROSECOND * (CAST(3600000000 AS BIGINT))), `TimeGenerated`, TIMESTAMP '0001-01-01 00:00:00')"
    );
  });

  it('writes structs, lists and ordered aggregates the Spark way', async () => {
    expect(
      spark.struct([
        ['v', 'x'],
        ['c0', 'y']
      ])
    ).toBe("named_struct('v', x, 'c0', y)");
    expect(
      duckdb.struct([
        ['v', 'x'],
        ['c0', 'y']
      ])
    ).toBe("{'v': x, 'c0': y}");
    const sql = await sparkSql(
      'T | summarize n = count(), arg_max(TimeGenerated, *) by User'
    );
    expect(sql).toContain("max_by(named_struct('v', `TimeGenerated`");
    expect(sql).not.toMatch(/[{[]'/);
    const series = await sparkSql(
      'T | make-series n = count() on TimeGenerated from datetime(2024-01-01) to datetime(2024-01-03) step 1d'
    );
    expect(series).not.toContain('ORDER BY __t)');
    expect(series).toContain("array_sort(collect_list(named_struct('o', __t");
  });

  it('spells the range operator with sequence() and explode(), empty when the step points away', async () => {
    const sql = await sparkSql('range i from 5 to 1 step 1');
    expect(sql).toContain('explode(CASE WHEN');
    expect(sql).not.toMatch(/FROM sequence\(/);
  });

  it('spells a bag of constant keys as a struct, whose fields keep their types', () => {
    expect(spark.call('json_object', ["'a'", '1', "'b'", "'x'"])).toBe(
      "to_variant_object(named_struct('a', 1, 'b', 'x'))"
    );
    expect(spark.call('json_object', ['k', '1'])).toBe(
      'to_variant_object(map(k, 1))'
    );
  });

  it('reads the IP geolocation table by a quoted name', async () => {
    const sql = await sparkSql(
      "print g = geo_info_from_ip_address('20.53.203.50')"
    );
    expect(sql).toContain('FROM `__geoip` g');
  });

  it('tests has_any against a subquery with EXISTS, not in a lambda', async () => {
    const sql = await sparkSql(
      'let names = T | project User; T | where Props has_any (names)'
    );
    expect(sql).toContain('EXISTS (SELECT 1 FROM (SELECT CAST(v AS STRING)');
    expect(sql).not.toContain('collect_list(CAST(v');
  });

  it.each([
    ["{'k': 1}", "DuckDB's struct literals {'k': v}"],
    ['[1, 2]', "DuckDB's list literals [a, b]"],
    ['f(x)[1]', "DuckDB's 1-based list indexing l[i]"],
    ['1::BIGINT', "DuckDB's ::"],
    ['a // 2', "DuckDB's //"],
    ['"name"', "DuckDB's double-quoted names"],
    ['CAST(x AS HUGEINT)', "DuckDB's type HUGEINT"],
    ['list_avg(l)', "DuckDB's list_avg()"]
  ])('names the DuckDB construct in %s', (sql, name) => {
    expect(spark.foreign(sql)).toBe(name);
    expect(duckdb.foreign(sql)).toBeNull();
  });

  it('finds no DuckDB construct in literals, quoted names or its own spelling', () => {
    expect(
      spark.foreign(
        "element_at(array(1, 2), 1) || '[{x}]::' || `a[b]` || try_variant_get(v, '$[0]')"
      )
    ).toBeNull();
  });

  it.each([
    [
      'T | extend a = array_shift_left(Props, 1)',
      "array_shift_left() on spark (its SQL is still written with DuckDB's 1-based list indexing l[i])"
    ],
    ['T | extend e = endofday(TimeGenerated)', 'endofday() on spark'],
    ['T | extend g = loggamma(2.0)', 'loggamma() on spark'],
    [
      'T | sort by TimeGenerated asc | scan with (step s: User == "a";)',
      'scan on spark'
    ]
  ])('refuses %s with a named reason', async (query, feature) => {
    const compiler = await loadCompiler();
    const result = compiler.compile(query, SCHEMA, {
      now: NOW,
      dialect: 'spark'
    });
    expect(result.sql).toBeNull();
    expect(result.diagnostics[0].message).toContain(feature);
    const duck = compiler.compile(query, SCHEMA, { now: NOW });
    expect(duck.sql).not.toBeNull();
  });

  it('refuses a datetime literal finer than a microsecond', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'print t = datetime(2024-01-01 00:00:00.0000001)',
      SCHEMA,
      { now: NOW, dialect: 'spark' }
    );
    expect(result.sql).toBeNull();
    expect(result.diagnostics[0].code).toBe('KQL-UNSUPPORTED');
  });
});
