/**
 * Where hunt packs come from: the packs the server hands out (`/sentinel/api/hunts`: those shipped
 * with the package, and the rule folders of GitHub repositories it mirrors), and folders of rule
 * files in the Jupyter root, read through the contents API.
 */
import type { Contents } from '@jupyterlab/services';
import type { IInvalidRuleFile } from '../kql/hunts/rule';
import { SentinelServer } from '../server';
import type { IHuntGitHubSetting, IHuntPackInfo } from './tokens';

/** A rule file as read: its text, or why it could not be read. */
export type RuleFileText =
  { path: string; text: string } | { path: string; error: string };

/**
 * A pack from its files: readable ones parsed, unreadable ones listed as invalid. The rule reader
 * (and its YAML parser) loads with the first pack, not with JupyterLab.
 */
export async function packFromFiles(
  info: Omit<IHuntPackInfo, 'pack' | 'error'>,
  files: ReadonlyArray<RuleFileText>
): Promise<IHuntPackInfo> {
  const { parsePack } = await import('../kql/hunts/rule');
  const readable = files.filter(
    (f): f is { path: string; text: string } => 'text' in f
  );
  const unreadable: IInvalidRuleFile[] = files
    .filter((f): f is { path: string; error: string } => 'error' in f)
    .map(f => ({ file: f.path, reason: f.error }));
  const pack = parsePack(readable);
  pack.invalid.push(...unreadable);
  pack.invalid.sort((a, b) => a.file.localeCompare(b.file));
  return { ...info, pack, error: null };
}

/** A pack as `GET hunts` lists it. */
interface IServerPack {
  id: string;
  source: 'shipped' | 'github';
  /** A GitHub pack's setting name (a shipped pack is named by its id). */
  name?: string;
  location?: string;
  /** A GitHub pack: `error` when the server has no copy of it. */
  status?: 'ready' | 'error';
  message?: string;
}

/** Replaces the GitHub repositories the server lists as packs. */
export async function configureGitHubPacks(
  github: ReadonlyArray<IHuntGitHubSetting>,
  server: SentinelServer = new SentinelServer()
): Promise<void> {
  await server.json(['hunts'], {
    method: 'PUT',
    body: JSON.stringify({ github })
  });
}

/** The packs the server hands out: the shipped ones, then those of GitHub repositories. */
export async function serverPacks(
  server: SentinelServer = new SentinelServer()
): Promise<IHuntPackInfo[]> {
  const { packs } = await server.json<{ packs: IServerPack[] }>(['hunts']);
  return Promise.all(
    packs.map(async listed => {
      const info = {
        key: `${listed.source}:${listed.id}`,
        source: listed.source,
        name: listed.name ?? listed.id,
        ...(listed.location ? { location: listed.location } : {})
      };
      if (listed.status === 'error') {
        return { ...info, pack: null, error: listed.message ?? listed.id };
      }
      try {
        const body = await server.json<{ files: RuleFileText[] }>([
          'hunts',
          listed.id
        ]);
        return {
          ...(await packFromFiles(info, body.files)),
          ...(listed.message ? { notice: listed.message } : {})
        };
      } catch (error) {
        return { ...info, pack: null, error: messageOf(error) };
      }
    })
  );
}

/** Rule files are YAML. */
const RULE_FILE = /\.ya?ml$/i;
/** How deep a folder pack is searched (Azure-Sentinel's `Solutions/X/Analytic Rules/` is 3). */
const MAX_DEPTH = 6;
/** Most files a folder pack reads: a bigger folder says so rather than stalling the browser. */
export const MAX_FOLDER_FILES = 2000;

/** A folder of the Jupyter root as a pack: every YAML file under it, subfolders too. */
export async function folderPack(
  contents: Contents.IManager,
  folder: string
): Promise<IHuntPackInfo> {
  const path = folder.replace(/^\/+|\/+$/g, '');
  const info = { key: `folder:${path}`, source: 'folder' as const, name: path };
  try {
    const paths: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      const listing = await contents.get(dir, { content: true });
      for (const item of (listing.content ?? []) as Contents.IModel[]) {
        if (item.type === 'directory' && depth < MAX_DEPTH) {
          if (!item.name.startsWith('.')) {
            await walk(item.path, depth + 1);
          }
        } else if (item.type === 'file' && RULE_FILE.test(item.name)) {
          paths.push(item.path);
        }
      }
    };
    await walk(path, 0);
    if (paths.length > MAX_FOLDER_FILES) {
      throw new Error(
        `${paths.length} rule files: more than ${MAX_FOLDER_FILES}; choose a subfolder`
      );
    }
    paths.sort();
    const prefix = path ? `${path}/` : '';
    const files = await Promise.all(
      paths.map(async (file): Promise<RuleFileText> => {
        const name = file.startsWith(prefix) ? file.slice(prefix.length) : file;
        try {
          const model = await contents.get(file, {
            type: 'file',
            format: 'text',
            content: true
          });
          return typeof model.content === 'string'
            ? { path: name, text: model.content }
            : { path: name, error: 'not text' };
        } catch (error) {
          return { path: name, error: messageOf(error) };
        }
      })
    );
    return await packFromFiles(info, files);
  } catch (error) {
    return { ...info, pack: null, error: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
