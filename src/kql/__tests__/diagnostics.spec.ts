import { compilerSchema, loadCompiler } from '..';
import { closestName, editDistance } from '../suggest';

const schema = compilerSchema([
  {
    name: 'SigninLogs',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'ResultType', type: 'string' }
    ]
  }
]);

describe('diagnostics', () => {
  it('places syntax errors by line and column, and reports several', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'SigninLogs\n| where ResultType == \n| take (',
      schema
    );
    expect(result.sql).toBeNull();
    const syntax = result.diagnostics.filter(d => d.stage === 'syntax');
    expect(syntax.length).toBeGreaterThanOrEqual(2);
    // The missing right operand of `==` is reported where it should start, after the space.
    expect(syntax[0]).toMatchObject({ severity: 'error', line: 2, column: 22 });
    expect(syntax.some(d => d.line === 3)).toBe(true);
  });

  it('suggests the table, column or function a typo meant', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'SigninLog | where UserPrincipalNam == "x"\n| extend y = tolowerr(ResultType)',
      schema
    );
    const messages = result.diagnostics.map(d => [d.code, d.suggestion]);
    expect(messages).toContainEqual(['KS204', 'SigninLogs']);
    const second = compiler.compile(
      'SigninLogs | where UserPrincipalNam == "x" | extend y = tolowerr(ResultType)',
      schema
    );
    expect(second.diagnostics.map(d => [d.code, d.suggestion, d.line])).toEqual(
      [
        ['KS142', 'UserPrincipalName', 1],
        ['KS211', 'tolower', 1]
      ]
    );
    expect(second.diagnostics[0].message).toMatch(
      /Did you mean 'UserPrincipalName'\?$/
    );
  });

  it('does not suggest names that are far from the typo', () => {
    expect(closestName('Foo', ['SigninLogs', 'AuditLogs'])).toBeNull();
    expect(closestName('auditlogs', ['SigninLogs', 'AuditLogs'])).toBe(
      'AuditLogs'
    );
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('names what is valid KQL but not supported locally', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'SigninLogs | evaluate pivot(ResultType)',
      schema
    );
    expect(result.sql).toBeNull();
    expect(result.diagnostics[0]).toMatchObject({
      stage: 'unsupported',
      code: 'KQL-UNSUPPORTED',
      unsupported: 'evaluate pivot',
      line: 1
    });
    expect(result.diagnostics[0].message).toMatch(
      /^not supported locally: evaluate pivot/
    );
  });

  it('returns the result columns and the chart of render', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'SigninLogs | summarize count() by bin(TimeGenerated, 1h) | render timechart with (title="Sign-ins")',
      schema
    );
    expect(result.columns).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'count_', type: 'long' }
    ]);
    expect(result.render).toEqual({
      visualization: 'timechart',
      properties: { title: 'Sign-ins' }
    });
  });
});

describe('relations the runner provides', () => {
  it('describes the files of externaldata', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'externaldata(ip:string, score:long)["https://example.com/lists/bad.csv"] with (format="csv", ignoreFirstRecord=true) | where score > 5',
      schema
    );
    expect(result.sql).toContain('"__externaldata_1"');
    expect(result.externalData).toEqual([
      {
        relation: '__externaldata_1',
        uris: ['https://example.com/lists/bad.csv'],
        format: 'csv',
        ignoreFirstRecord: true,
        columns: [
          { name: 'ip', type: 'string' },
          { name: 'score', type: 'long' }
        ]
      }
    ]);
    expect(result.geoIp).toBe(false);
  });

  it('asks for the geolocation table when geo_info_from_ip_address is used', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'SigninLogs | extend Country = tostring(geo_info_from_ip_address(ResultType).country)',
      schema
    );
    expect(result.geoIp).toBe(true);
    expect(result.sql).toContain('"__geoip"');
  });
});
