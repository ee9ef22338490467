/**
 * The KQL language service token: Kusto.Language and the compiler in a Web Worker (on the page when
 * no worker can be made), one for the page. The KQL editors ask it for completion and squiggles;
 * the local backend compiles the queries it runs there, so the page never loads Kusto.Language.
 */
import { Token } from '@lumino/coreutils';
import type { KqlLanguageClient } from './client';

export const IKqlLanguage = new Token<KqlLanguageClient>(
  'jupyterlab-sentinel:IKqlLanguage',
  'The KQL language service: completion, squiggles and compilation, off the page.'
);
