/**
 * A hunt pack run on an Azure workspace through the Azure backend, against the emulator of the
 * Azure APIs (testing/azure-emulator): the same runner and classification as on a local workspace,
 * with a rule whose table the workspace lacks coming out as "missing tables", not as an error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { AzureBackend } from '../../backends/azure/backend';
import { PREVIEW_BOOKMARK_API_VERSION } from '../../backends/azure/bookmarks';
import { cloudEndpoints } from '../../backends/azure/clouds';
import { parsePack } from '../../kql/hunts/rule';
import { runHunt } from '../../kql/hunts/run';
import { selfSignedCertificate } from '../../../testing/azure-emulator/certificate';
import {
  WORKSPACES,
  workspaceResourceId
} from '../../../testing/azure-emulator/fixture';
import {
  type IEmulator,
  startEmulator
} from '../../../testing/azure-emulator/server';
import {
  ClientCredentialTokens,
  recordingServer,
  writeWorkspace
} from '../../__tests__/azure-clients';
import { WorkspaceHuntRunner } from '../runner';

jest.setTimeout(60_000);

const rule = (name: string, query: string, trigger = ''): string =>
  `name: ${name}\nkind: Scheduled\nqueryPeriod: 1d\ntactics: [CredentialAccess]\n${trigger}query: |\n  ${query}\n`;

describe('a hunt on an Azure workspace', () => {
  let folder: string;
  let emulator: IEmulator;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-azure-hunt-'));
    // Twelve sign-ins, an hour apart from 2026-10-01 00:00; every fourth one failed.
    await writeWorkspace(folder);
    emulator = await startEmulator({
      workspace: folder,
      https: selfSignedCertificate()
    });
  });

  afterAll(async () => {
    await emulator?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('classifies hits, no hits, missing tables and errors as on a local workspace', async () => {
    const azure = new AzureBackend('Azure', {
      endpoints: cloudEndpoints('AzurePublic', {
        login: emulator.url,
        arm: emulator.url,
        logAnalytics: emulator.url
      }),
      tokens: new ClientCredentialTokens(
        emulator.authority,
        cloudEndpoints('AzurePublic').resources
      ),
      bookmarkApiVersion: PREVIEW_BOOKMARK_API_VERSION,
      server: recordingServer([])
    });
    const id = workspaceResourceId(WORKSPACES[0]);
    const workspace = (await azure.listWorkspaces()).find(
      w => w.id.toLowerCase() === id
    )!;
    const pack = parsePack([
      {
        path: 'failed.yaml',
        text: rule(
          'Failed sign-ins',
          'SigninLogs | where ResultType != "0"',
          'triggerOperator: gt\ntriggerThreshold: 2\n'
        )
      },
      {
        path: 'quiet.yaml',
        text: rule('MFA denied', 'SigninLogs | where ResultType == "500121"')
      },
      {
        path: 'aws.yaml',
        text: rule(
          'AWS console sign-ins',
          'AWSCloudTrail | where EventName == "ConsoleLogin"'
        )
      },
      {
        path: 'typo.yaml',
        text: rule('A column typo', 'SigninLogs | where ResultTyp == "0"')
      }
    ]);
    expect(pack.invalid).toEqual([]);

    const report = await runHunt(
      pack,
      new WorkspaceHuntRunner(azure, workspace),
      {
        window: {
          start: new Date('2026-09-30T00:00:00Z'),
          end: new Date('2026-10-02T00:00:00Z')
        }
      }
    );

    expect(
      report.results.map(r => [r.rule.name, r.outcome, r.rows, r.fired])
    ).toEqual([
      ['Failed sign-ins', 'hits', 3, true],
      ['MFA denied', 'no-hits', 0, false],
      ['AWS console sign-ins', 'missing-tables', null, false],
      ['A column typo', 'error', null, false]
    ]);
    expect(report.results[2].missingTables).toEqual(['AWSCloudTrail']);
    // The column the service could not resolve is named, as Log Analytics names it.
    expect(report.results[3].reason).toMatch(/ResultTyp/);
    // Every rule went to the query API with its window.
    const queries = emulator.requests().filter(r => r.path.endsWith('/query'));
    expect(queries).toHaveLength(4);
    expect(
      (JSON.parse(queries[0].body) as { timespan?: string }).timespan
    ).toMatch(/^2026-09-30T00:00:00/);
  });
});
