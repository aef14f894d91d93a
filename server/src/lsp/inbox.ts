// What the client has sent that the connection has not handled yet: the reader counts each `didChange`
// as it arrives, the message strategy as it is handled. The diagnostics scheduler asks it whether a newer
// edit of a document is already waiting (then linting the current version would only be thrown away).
// Without a counted reader (a transport the server does not build itself) nothing is ever pending.
import { DidChangeTextDocumentNotification, Message, type DataCallback, type Disposable, type MessageReader, type NotificationMessage } from 'vscode-languageserver';

const DID_CHANGE = DidChangeTextDocumentNotification.method;

export class Inbox {
  private readonly changes = new Map<string, number>();

  /** A message read from the transport (not handled yet). */
  received(message: Message): void {
    const uri = changedUri(message);
    if (uri !== undefined) this.changes.set(uri, (this.changes.get(uri) ?? 0) + 1);
  }

  /** A message the connection hands to its handlers (or drops): no longer waiting. */
  dispatched(message: Message): void {
    const uri = changedUri(message);
    if (uri === undefined) return;
    const n = (this.changes.get(uri) ?? 0) - 1;
    if (n > 0) this.changes.set(uri, n);
    else this.changes.delete(uri);
  }

  /** True when a change of this document was read but not handled yet. */
  changePending(uri: string): boolean {
    return this.changes.has(uri);
  }

  /** A reader that tells this inbox about each message before the connection queues it. */
  reader(inner: MessageReader): MessageReader {
    return {
      onError: inner.onError,
      onClose: inner.onClose,
      onPartialMessage: inner.onPartialMessage,
      listen: (callback: DataCallback): Disposable =>
        inner.listen((message) => {
          this.received(message);
          callback(message);
        }),
      dispose: () => inner.dispose(),
    };
  }
}

function changedUri(message: Message): string | undefined {
  if (!Message.isNotification(message) || message.method !== DID_CHANGE) return undefined;
  const uri = ((message as NotificationMessage).params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  return typeof uri === 'string' ? uri : undefined;
}
