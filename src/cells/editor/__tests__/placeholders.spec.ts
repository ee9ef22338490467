/**
 * Kernel variables (`{name}`) in the KQL language service, on the real Kusto.Language and compiler:
 * no KS213 squiggle, real errors after a placeholder at their written line and column, typed
 * placeholders checked as their type, hover and completion around them.
 */
import { compilerSchema } from '../../../kql/index';
import type { IKqlDiagnostic } from '../../../kql/index';
import type { VariableType } from '../placeholders';
import type { LanguageRequest, LanguageResponse } from '../protocol';
import { KqlLanguageService } from '../service';

const SCHEMA = compilerSchema([
  {
    name: 'SigninLogs',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'ResultType', type: 'string' }
    ]
  }
]);

let service: KqlLanguageService;
let responses: LanguageResponse[];
let id = 0;

beforeAll(async () => {
  responses = [];
  service = new KqlLanguageService(r => responses.push(r));
  await service.receive({ type: 'schema', schema: SCHEMA, local: true });
  await service.load();
});

/** The service's answer to one request on `text`. */
async function ask<T extends LanguageRequest['type']>(
  type: T,
  text: string,
  variables?: Record<string, VariableType>,
  position = 0
): Promise<Extract<LanguageResponse, { type: T }>> {
  const request = {
    type,
    id: ++id,
    doc: `doc-${id}`,
    version: 1,
    text,
    variables,
    position
  } as LanguageRequest;
  await service.receive(request);
  const response = responses.find(
    r => 'id' in r && r.id === request.id
  ) as LanguageResponse;
  expect(response.type).toBe(type);
  return response as Extract<LanguageResponse, { type: T }>;
}

async function diagnostics(
  text: string,
  variables?: Record<string, VariableType>
): Promise<IKqlDiagnostic[]> {
  return (await ask('diagnostics', text, variables)).diagnostics;
}

describe('kernel variables in the KQL language service', () => {
  it('does not squiggle a `{name}` reference of unknown type', async () => {
    expect(
      await diagnostics(
        'SigninLogs\n| where UserPrincipalName == {account}\n| take {n}'
      )
    ).toEqual([]);
  });

  it('places a real error after a reference at its written line and column', async () => {
    const text =
      'SigninLogs\n| where TimeGenerated between ({start} .. {end})\n| where {account} == UserPrincipalName and Foo == 1';
    const found = await diagnostics(text, {
      start: 'datetime',
      end: 'datetime',
      account: 'string'
    });
    expect(found).toEqual([
      expect.objectContaining({
        code: 'KS142',
        line: 3,
        column: 44,
        start: text.indexOf('Foo'),
        end: text.indexOf('Foo') + 3
      })
    ]);
  });

  it('checks a reference of known type as that type', async () => {
    const text = 'SigninLogs | take {n}';
    expect(await diagnostics(text, { n: 'long' })).toEqual([]);
    // A string where a count belongs is the analyst's error: it stays, on the reference.
    expect(await diagnostics(text, { n: 'string' })).toEqual([
      expect.objectContaining({
        severity: 'error',
        start: text.indexOf('{n}'),
        end: text.length
      })
    ]);
  });

  it('says on hover that a reference is a kernel variable, with its type when known', async () => {
    const text = 'SigninLogs | where UserPrincipalName == {account}';
    const at = text.indexOf('account');
    expect(
      (await ask('quickInfo', text, { account: 'string' }, at)).quickInfo
    ).toEqual({ text: '{account}: string (kernel variable)' });
    expect(
      (await ask('quickInfo', text, undefined, at)).quickInfo?.text
    ).toMatch(/^\{account\}: kernel variable/);
    // A column after the reference still gets Kusto's quick info.
    expect(
      (await ask('quickInfo', text, undefined, text.indexOf('UserPrincipal')))
        .quickInfo?.text
    ).toContain('UserPrincipalName: string');
  });

  it('completes after a reference, in written offsets', async () => {
    const text = 'SigninLogs | where UserPrincipalName == {a} | where Res';
    const { completions } = await ask(
      'completion',
      text,
      undefined,
      text.length
    );
    expect(completions.items.map(i => i.label)).toContain('ResultType');
    expect(completions.from).toBe(text.length - 3);
    expect(completions.to).toBe(text.length);
  });
});
