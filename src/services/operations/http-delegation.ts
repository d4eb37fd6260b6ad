/**
 * Operation handler that delegates to an HTTP endpoint named by the Operation itself: a Qualifier of type
 * `invocationDelegation` whose value is an http(s) URL.
 *
 * Contract with the delegation target:
 * - Request: `POST <url>`, `Content-Type: application/json`, body a Part 2 OperationRequest in Normal form:
 *   `{"inputArguments": [OperationVariable…], "inoutputArguments": [OperationVariable…],
 *   "clientTimeoutDuration": "PT…S"}` (both arrays always present; the duration is the time the server still
 *   waits). Headers `X-AAS-Submodel-Identifier` (base64url of the submodel id) and `X-AAS-IdShort-Path` say which
 *   Operation is meant.
 * - Response: 2xx with a JSON object shaped like a Part 2 OperationResult:
 *   `{"outputArguments": [...], "inoutputArguments": [...], "executionState": "Completed", "success": true,
 *   "messages": [{"messageType": "Info", "text": "..."}]}`. Every field is optional; without `executionState`
 *   and `success` the call counts as Completed. `executionState` Failed/Timeout/Canceled or `success: false`
 *   make the invocation Failed with the target's message texts. The target answers when the work is done
 *   (Running/Initiated are refused). Outputs are checked against the Operation's declared variables like any
 *   handler's.
 * - Anything else (non-2xx, a redirect, no JSON object, a body over the size limit, no answer before the
 *   timeout, an address the guard refuses) makes the invocation Failed with a message saying which.
 */
import { NotImplemented } from '../../errors.js';
import { encodeId } from '../../model/identifiers.js';
import { allowListRefusal, resolveDelegationTarget, systemResolver, type HostResolver } from './delegation-guard.js';
import { qualifierOf, type OperationHandler, type OperationInvocation, type OperationNote, type OperationOutcome, type OperationTarget } from './operation-handler.js';
import { postJsonPinned } from './pinned-json-post.js';
import { formatXsDuration } from './xs-duration.js';

export const DELEGATION_QUALIFIER = 'invocationDelegation';

export interface HttpDelegationOptions {
  /** Parsed `AAS_OPERATION_DELEGATION_ALLOW` entries (URL prefixes, host names); empty allows nothing. */
  allow: readonly string[];
  /** `AAS_OPERATION_DELEGATION_ALLOW_LINK_LOCAL`: permit link-local and cloud metadata addresses. */
  allowLinkLocal: boolean;
  /** Largest response body read from a target. */
  maxResponseBytes: number;
  /** Host name resolution; the system resolver unless a test replaces it. */
  resolve?: HostResolver;
}

const FINAL_FAILURES = new Set(['Failed', 'Timeout', 'Canceled']);
const STATES = new Set(['Initiated', 'Running', 'Completed', 'Canceled', 'Failed', 'Timeout']);
const MESSAGE_TYPES = new Set(['Undefined', 'Info', 'Warning', 'Error', 'Exception']);
/** How much of a target's text goes into a message. */
const EXCERPT = 300;

export class HttpDelegationHandler implements OperationHandler {
  readonly name = 'http-delegation';

  constructor(private readonly options: HttpDelegationOptions) {}

  handles(target: OperationTarget): boolean {
    return qualifierOf(target.operation, DELEGATION_QUALIFIER) !== undefined;
  }

  /** 501 up front when the URL is unusable or not allowed: no configuration change, no invocation. */
  verify(target: OperationTarget): void {
    const url = delegationUrl(target);
    const refusal = allowListRefusal(url, this.options.allow);
    if (refusal) throw new NotImplemented(`The Operation at ${target.idShortPath} delegates to ${url.origin}${url.pathname}, which this server may not call: ${refusal}`);
  }

  async invoke(invocation: OperationInvocation): Promise<OperationOutcome> {
    const url = delegationUrl(invocation);
    const address = await resolveDelegationTarget(url.hostname, { allowLinkLocal: this.options.allowLinkLocal, resolve: this.options.resolve ?? systemResolver });
    const request = {
      inputArguments: invocation.inputArguments,
      inoutputArguments: invocation.inoutputArguments,
      clientTimeoutDuration: formatXsDuration(invocation.timeoutMs),
    };
    let answer;
    try {
      answer = await postJsonPinned(url, request, {
        address,
        signal: invocation.signal,
        maxBytes: this.options.maxResponseBytes,
        headers: { 'X-AAS-Submodel-Identifier': encodeId(invocation.submodelId), 'X-AAS-IdShort-Path': invocation.idShortPath },
      });
    } catch (e) {
      const err = e as { code?: string; message?: string };
      throw new Error(`the delegation target ${url.origin} could not be reached or answered incompletely: ${err.code ? `${err.code} ` : ''}${err.message ?? String(e)}`, { cause: e });
    }
    return readTargetAnswer(url, answer.status, answer.text);
  }
}

function delegationUrl(target: OperationTarget): URL {
  const value = qualifierOf(target.operation, DELEGATION_QUALIFIER)?.value ?? '';
  try {
    return new URL(value);
  } catch {
    throw new NotImplemented(`The ${DELEGATION_QUALIFIER} qualifier of the Operation at ${target.idShortPath} is not a URL: "${value.slice(0, EXCERPT)}"`);
  }
}

function readTargetAnswer(url: URL, status: number, text: string): OperationOutcome {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const o = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined) as Record<string, unknown> | undefined;
  const notes = notesOf(o?.messages);
  const said = notes.length > 0 ? `: ${notes.map((n) => n.text).join('; ').slice(0, EXCERPT)}` : '';
  if (status >= 300 && status < 400) throw new Error(`the delegation target ${url.origin} answered with a redirect (HTTP ${status}); redirects are not followed`);
  if (status < 200 || status >= 300) throw new Error(`the delegation target ${url.origin} answered HTTP ${status}${said}`);
  if (!o) throw new Error(`the delegation target ${url.origin} did not answer with a JSON object: ${JSON.stringify(text.slice(0, EXCERPT))}`);
  const state = o.executionState;
  if (state !== undefined && (typeof state !== 'string' || !STATES.has(state))) throw new Error(`the delegation target answered an unknown executionState ${JSON.stringify(state)}`);
  if (state === 'Running' || state === 'Initiated') throw new Error(`the delegation target answered executionState ${state}; it must answer when the operation is done`);
  if ((typeof state === 'string' && FINAL_FAILURES.has(state)) || o.success === false) {
    throw new Error(`the delegation target reports ${typeof state === 'string' ? state : 'no success'}${said}`);
  }
  return {
    ...(o.outputArguments !== undefined ? { outputArguments: o.outputArguments as OperationOutcome['outputArguments'] } : {}),
    ...(o.inoutputArguments !== undefined ? { inoutputArguments: o.inoutputArguments as OperationOutcome['inoutputArguments'] } : {}),
    messages: notes,
  };
}

function notesOf(messages: unknown): OperationNote[] {
  if (!Array.isArray(messages)) return [];
  return messages
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null && typeof (m as { text?: unknown }).text === 'string')
    .map((m) => ({ text: String(m.text).slice(0, EXCERPT * 4), ...(MESSAGE_TYPES.has(m.messageType as string) ? { messageType: m.messageType as OperationNote['messageType'] } : {}) }));
}
