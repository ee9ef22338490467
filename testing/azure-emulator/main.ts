/**
 * `azure-emulator`: the Azure API emulator from a terminal, for browser tests.
 *
 *   node build/emulator/testing/azure-emulator/main.js --port N --workspace DIR
 *        [--https] [--host H] [--token-lifetime S] [--page-size N] [--max-rows N]
 *
 * Prints `azure-emulator listening on <url>` once it answers. With `--https` it serves a
 * self-signed certificate for 127.0.0.1 and localhost made with `openssl` (MSAL.js refuses an
 * `http` authority; the browser is started with `--ignore-certificate-errors`).
 */
import * as fs from 'fs';

import { selfSignedCertificate } from './certificate';
import { startEmulator } from './server';

const USAGE =
  'usage: main.js --port N --workspace DIR [--https] [--host H] [--token-lifetime S] [--page-size N] [--max-rows N]';

class UsageError extends Error {}

/** `--name value`, `--name=value` and the bare `--https`. */
function parseArgs(argv: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument ${arg}`);
    }
    const [name, value] = arg.slice(2).split('=', 2);
    if (name === 'https') {
      options.set(name, 'true');
    } else if (value !== undefined) {
      options.set(name, value);
    } else if (i + 1 < argv.length) {
      options.set(name, argv[++i]);
    } else {
      throw new UsageError(`--${name} needs a value`);
    }
  }
  return options;
}

function numberOption(
  options: Map<string, string>,
  name: string
): number | undefined {
  const value = options.get(name);
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number`);
  }
  return Number(value);
}

async function main(argv: string[]): Promise<void> {
  const options = parseArgs(argv);
  const workspace = options.get('workspace');
  if (!workspace) {
    throw new UsageError('--workspace is required');
  }
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) {
    throw new UsageError(`${workspace} is not a folder`);
  }
  const emulator = await startEmulator({
    workspace,
    port: numberOption(options, 'port'),
    host: options.get('host'),
    https: options.has('https') ? selfSignedCertificate() : undefined,
    tokenLifetimeSeconds: numberOption(options, 'token-lifetime'),
    pageSize: numberOption(options, 'page-size'),
    maxRows: numberOption(options, 'max-rows')
  });
  process.stdout.write(`azure-emulator listening on ${emulator.url}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`azure-emulator: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `azure-emulator: ${error instanceof Error ? error.message : String(error)}\n`
  );
  process.exit(1);
});
