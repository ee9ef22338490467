import { execFileSync } from 'child_process';
import {
  describeExpression,
  expandVariables,
  writtenDiagnostics,
  findReferences,
  kqlLiteral,
  parseDescription,
  UnknownVariableError
} from '../cells/variables';
import type { IUserExpressionAnswer } from '../cells/kernel';

/** What the real Python answers for a value, through the expression the kernel evaluates. */
function describeInPython(setup: string): IUserExpressionAnswer {
  const repr = execFileSync(
    'python3',
    ['-c', `${setup}\nprint(repr(${describeExpression('v')}))`],
    { encoding: 'utf-8' }
  ).trim();
  return { status: 'ok', data: { 'text/plain': repr } };
}

describe('kernel variables in KQL', () => {
  it('finds {name} outside strings, comments, JSON and function bodies', () => {
    const query = [
      '// {not_this} is a comment',
      'let f = (x: long) {x};',
      'SigninLogs',
      '| where UserPrincipalName == {account} and Note != "{not_a_ref}"',
      "| where IPAddress in ({ips}) and Raw != @'{verbatim}'",
      '| extend d = dynamic({"k": 1}), e = { spaced }'
    ].join('\n');
    expect(findReferences(query).map(r => r.name)).toEqual(['account', 'ips']);
    const [account] = findReferences(query);
    expect(query.slice(account.start, account.end)).toBe('{account}');
  });

  it('writes each kind of value as a KQL literal', () => {
    expect(kqlLiteral(['string', 'adele "a" \\ vance'])).toBe(
      '"adele \\"a\\" \\\\ vance"'
    );
    expect(kqlLiteral(['long', 42])).toBe('long(42)');
    expect(kqlLiteral(['long', '9007199254740993'])).toBe(
      'long(9007199254740993)'
    );
    expect(kqlLiteral(['real', 0.5])).toBe('real(0.5)');
    expect(kqlLiteral(['bool', false])).toBe('false');
    expect(kqlLiteral(['datetime', '2026-10-01T04:41:07Z'])).toBe(
      'datetime(2026-10-01T04:41:07Z)'
    );
    expect(kqlLiteral(['timespan', 5400.25])).toBe('5400250000microseconds');
    expect(kqlLiteral(['list', ['203.0.113.42', 7, null]])).toBe(
      'dynamic(["203.0.113.42", 7, null])'
    );
    expect(kqlLiteral(['null'])).toBe('dynamic(null)');
  });

  it('replaces references, and names the one the kernel lacks with its position', () => {
    const query = 'SigninLogs\n| where UserPrincipalName == {account}';
    const references = findReferences(query);
    expect(
      expandVariables(query, references, {
        account: ['string', 'adele.vance@contoso.example']
      }).text
    ).toBe(
      'SigninLogs\n| where UserPrincipalName == "adele.vance@contoso.example"'
    );
    expect(() => expandVariables(query, references, {})).toThrow(
      UnknownVariableError
    );
    try {
      expandVariables(query, references, {});
    } catch (error) {
      expect(error).toMatchObject({ line: 2, column: 30 });
    }
  });

  it('places problems of the expanded query in the query as written', () => {
    const query =
      'let who = {account};\nSigninLogs | where {since} < TimeGenerated | wher x';
    const expanded = expandVariables(query, findReferences(query), {
      account: ['string', 'adele.vance@contoso.example'],
      since: ['datetime', '2026-10-01T00:00:00Z']
    });
    const typo = expanded.text.indexOf('wher x');
    const [moved] = writtenDiagnostics(
      [
        {
          start: typo,
          end: typo + 4,
          line: 2,
          column: typo,
          endLine: 2,
          endColumn: typo + 4,
          code: 'KS001',
          stage: 'syntax',
          severity: 'error',
          message: 'wher is not an operator'
        }
      ],
      query,
      expanded
    );
    expect(moved).toMatchObject({
      start: query.indexOf('wher x'),
      line: 2,
      column: query.split('\n')[1].indexOf('wher x') + 1,
      endColumn: query.split('\n')[1].indexOf('wher x') + 5
    });
    // Inside a written-in value: the reference it replaced.
    const inside = expanded.text.indexOf('adele') + 2;
    expect(expanded.toWritten(inside)).toBe(query.indexOf('{account}'));
  });

  it('reads values as Python describes them', () => {
    expect(parseDescription(describeInPython('v = "adele"'))).toEqual([
      'string',
      'adele'
    ]);
    expect(parseDescription(describeInPython('v = 2**60'))).toEqual([
      'long',
      '1152921504606846976'
    ]);
    expect(
      parseDescription(
        describeInPython(
          'import datetime as dt\nv = dt.datetime(2026, 10, 1, 6, 41, 7, tzinfo=dt.timezone(dt.timedelta(hours=2)))'
        )
      )
    ).toEqual(['datetime', '2026-10-01T04:41:07Z']);
    expect(
      parseDescription(
        describeInPython(
          'import datetime as dt\nv = dt.timedelta(hours=1, seconds=1)'
        )
      )
    ).toEqual(['timespan', 3601]);
    expect(
      parseDescription(describeInPython('v = ("203.0.113.42", 7, None, 1.5)'))
    ).toEqual(['list', ['203.0.113.42', 7, null, 1.5]]);
    expect(parseDescription(describeInPython('v = None'))).toEqual(['null']);
    expect(parseDescription(describeInPython('v = "naïve ✓"'))).toEqual([
      'string',
      'naïve ✓'
    ]);
    expect(
      parseDescription({
        status: 'ok',
        data: { 'text/plain': "'not base64!'" }
      })
    ).toBeNull();
    expect(
      parseDescription({ status: 'error', ename: 'NameError' })
    ).toBeNull();
  });
});
