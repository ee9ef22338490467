/**
 * The entry point of the KQL language service's Web Worker: messages in, responses out. It must
 * import nothing from JupyterLab or any package the extension shares with it (a worker has no share
 * scope to load them from, and would wait for one forever).
 */
import type { LanguageMessage, LanguageResponse } from './protocol';
import { KqlLanguageService } from './service';

/** The part of a dedicated worker's global scope used here (the DOM typings describe a window). */
interface IWorkerScope {
  postMessage(message: LanguageResponse): void;
  onmessage: ((event: MessageEvent<LanguageMessage>) => void) | null;
}

const scope = self as unknown as IWorkerScope;
const service = new KqlLanguageService(response => scope.postMessage(response));
scope.onmessage = event => void service.receive(event.data);
// The worker exists because a KQL editor needs it: load Kusto.Language now, not on the first request.
void service.load();
