// Running a command from an untrusted transport: name and request checked, the result or a typed error.
import {
  CONTRACT, isCommandName, type CommandName, type ContractService, type EventListener, type EventName,
  type RequestOf, type ResponseOf, type SpringboardClient,
} from './contract.ts';
import { fromWireError, SpringboardError, toWireError, type WireError } from './errors.ts';

/** A command's outcome as it crosses a transport (errors never travel as exceptions). */
export type Envelope = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: WireError };

export async function dispatch(service: ContractService, name: unknown, request: unknown): Promise<Envelope> {
  try {
    if (!isCommandName(name)) throw new SpringboardError('unknown-command', `no command "${String(name)}" in the contract`);
    const problem = CONTRACT.commands[name].check(request);
    if (problem !== null) throw new SpringboardError('bad-request', `${name}: ${problem}`);
    const handler = service.handlers[name] as (r: unknown) => unknown;
    return { ok: true, value: await handler(request) };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}

/** The value of an envelope, or its error thrown as a SpringboardError. */
export function unwrap(envelope: unknown): unknown {
  if (typeof envelope === 'object' && envelope !== null && 'ok' in envelope) {
    const e = envelope as { ok: unknown; value?: unknown; error?: unknown };
    if (e.ok === true) return e.value;
    if (e.ok === false) throw fromWireError(e.error);
  }
  throw new SpringboardError('internal', 'malformed reply from the transport');
}

/**
 * A client that calls the service in the same process, through the same checks and error
 * mapping as the transports (results are cloned so nothing is shared by reference).
 */
export function directClient(service: ContractService): SpringboardClient {
  return {
    async call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
      const envelope = await dispatch(service, name, structuredCloneOf(request));
      return structuredCloneOf(unwrap(envelope)) as ResponseOf<N>;
    },
    on<E extends EventName>(event: E, listener: EventListener<E>) {
      return service.on(event, listener);
    },
  };
}

function structuredCloneOf<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
