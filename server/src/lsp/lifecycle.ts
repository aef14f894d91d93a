// The connection's message policy, whatever the transport: requests cancelled before they ran are answered
// at once without running them, and after `shutdown` only `exit` is honoured (LSP: other requests get
// InvalidRequest, notifications are dropped). `exit` then ends the process: 0 after shutdown, else 1
// (vscode-languageserver does that part).
import { ErrorCodes, LSPErrorCodes, Message, ResponseError, type ConnectionOptions, type RequestMessage, type ResponseMessage } from 'vscode-languageserver';

/** Requests after shutdown are renamed to this method, whose handler answers InvalidRequest. */
export const AFTER_SHUTDOWN = 'kbHints/$afterShutdown';

/** The output side, when it can tell that the client is not reading (the stdio writer). */
export interface OutputGate {
  readonly backedUp: boolean;
  whenDrained(callback: () => void): void;
}

export class Lifecycle {
  shutdown = false;
  private gate: OutputGate | undefined;
  /** Messages read but not handled yet because the output is backed up, in order. */
  private held: Array<[Message, (message: Message) => void]> = [];
  private heldFrom = 0;
  /** Requests answered as cancelled without running (stats, tests). */
  cancelledUnrun = 0;

  readonly options: ConnectionOptions = {
    connectionStrategy: {
      // Called when `$/cancelRequest` names a request still in the queue: answer it now, never run it.
      cancelUndispatched: (message: Message): ResponseMessage | undefined => {
        if (!Message.isRequest(message)) return undefined;
        this.cancelledUnrun++;
        return { jsonrpc: '2.0', id: message.id, error: { code: LSPErrorCodes.RequestCancelled, message: 'Request cancelled' } };
      },
    },
    messageStrategy: {
      handleMessage: (message: Message, next: (message: Message) => void) => {
        // While the client does not read, answering more would only grow the backlog: hold the messages
        // already read (input is paused too) and handle them, in order, once it reads again.
        if (this.gate && (this.heldFrom < this.held.length || this.gate.backedUp)) {
          this.held.push([message, next]);
          if (this.held.length - this.heldFrom === 1) this.gate.whenDrained(this.release);
          return;
        }
        this.handle(message, next);
      },
    },
  };

  /** Holds messages while `gate` says the output is backed up. */
  setGate(gate: OutputGate): void {
    this.gate = gate;
  }

  private readonly release = (): void => {
    while (this.heldFrom < this.held.length && !this.gate?.backedUp) {
      const [message, next] = this.held[this.heldFrom++];
      this.handle(message, next);
    }
    if (this.heldFrom < this.held.length) this.gate?.whenDrained(this.release);
    else {
      this.held = [];
      this.heldFrom = 0;
    }
  };

  private handle(message: Message, next: (message: Message) => void): void {
    if (this.shutdown) {
      if (Message.isRequest(message)) return next({ ...message, method: AFTER_SHUTDOWN, params: { method: message.method } } as RequestMessage);
      if (Message.isNotification(message) && message.method !== 'exit') return;
    } else if (Message.isRequest(message) && message.method === 'shutdown') {
      this.shutdown = true;
    }
    next(message);
  }

  rejectAfterShutdown(params: { method?: string }): ResponseError<void> {
    return new ResponseError(ErrorCodes.InvalidRequest, `The server is shut down: only 'exit' is accepted (got '${params?.method}').`);
  }
}

/** What a request handler returns when its request was cancelled while it waited or ran. */
export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
