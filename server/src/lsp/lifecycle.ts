// The connection's message policy, whatever the transport: requests cancelled before they ran are answered
// at once without running them, and after `shutdown` only `exit` is honoured (LSP: other requests get
// InvalidRequest, notifications are dropped). `exit` then ends the process: 0 after shutdown, else 1
// (vscode-languageserver does that part).
import { ErrorCodes, LSPErrorCodes, Message, ResponseError, type ConnectionOptions, type RequestMessage, type ResponseMessage } from 'vscode-languageserver/node';

/** Requests after shutdown are renamed to this method, whose handler answers InvalidRequest. */
export const AFTER_SHUTDOWN = 'kbHints/$afterShutdown';

export class Lifecycle {
  shutdown = false;
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
        if (this.shutdown) {
          if (Message.isRequest(message)) return next({ ...message, method: AFTER_SHUTDOWN, params: { method: message.method } } as RequestMessage);
          if (Message.isNotification(message) && message.method !== 'exit') return;
        } else if (Message.isRequest(message) && message.method === 'shutdown') {
          this.shutdown = true;
        }
        next(message);
      },
    },
  };

  rejectAfterShutdown(params: { method?: string }): ResponseError<void> {
    return new ResponseError(ErrorCodes.InvalidRequest, `The server is shut down: only 'exit' is accepted (got '${params?.method}').`);
  }
}

/** What a request handler returns when its request was cancelled while it waited or ran. */
export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
