/**
 * Reading values from the kernel without running anything in the notebook: one silent execute
 * whose user expressions are evaluated and answered as their repr. Values with text in them are
 * sent as base64 of UTF-8, so the repr is plain ASCII in quotes and never has to be parsed as Python.
 */
import type { Kernel } from '@jupyterlab/services';

/** The answer to one user expression. */
export interface IUserExpressionAnswer {
  /** `ok`, or `error` when the expression raised. */
  status: string;
  /** The exception's class, e.g. `NameError`, when it raised. */
  ename?: string;
  /** The exception's message, when it raised. */
  evalue?: string;
  /** The value's representations; `text/plain` is its repr. */
  data?: Record<string, string>;
}

/** Evaluates Python expressions silently in the kernel; answers each by its key. */
export async function evaluate(
  kernel: Kernel.IKernelConnection,
  expressions: Record<string, string>
): Promise<Record<string, IUserExpressionAnswer | undefined>> {
  const reply = await kernel.requestExecute({
    code: '',
    silent: true,
    store_history: false,
    user_expressions: expressions
  }).done;
  const content = reply.content as {
    user_expressions?: Record<string, IUserExpressionAnswer>;
  };
  return content.user_expressions ?? {};
}

/** The Python expression that gives `text` (an expression evaluating to a str) as base64. */
export function base64Of(text: string): string {
  return `__import__("base64").b64encode((${text}).encode()).decode()`;
}

/** The text a `base64Of` expression's answer carries, or null when the answer is not one. */
export function textOf(
  answer: IUserExpressionAnswer | undefined
): string | null {
  const repr = answer?.status === 'ok' ? answer.data?.['text/plain'] : null;
  const encoded = repr ? /^'([A-Za-z0-9+/=]*)'$/.exec(repr.trim())?.[1] : null;
  if (encoded === null || encoded === undefined) {
    return null;
  }
  try {
    return new TextDecoder().decode(
      Uint8Array.from(atob(encoded), c => c.charCodeAt(0))
    );
  } catch {
    return null;
  }
}
