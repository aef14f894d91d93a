// The stdio transport, hardened against misbehaving clients: a reader that finds the next frame after a
// malformed header, and a writer that keeps its backlog bounded when the client stops reading.
// (VS Code talks over node IPC, where neither can happen: this is for `--stdio` editors.)
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { AbstractMessageWriter, PublishDiagnosticsNotification, type Message, type MessageWriter, type NotificationMessage } from 'vscode-languageserver/node';
import { FileStatusNotification } from '../protocol';

/** A header longer than this without its blank line is garbage. */
const MAX_HEADER = 64 * 1024;
const HEADER_START = /content-length[ \t]*:/i;

/**
 * Passes well-formed frames through as `Content-Length: N` + body, and drops anything else up to the next
 * `Content-Length:` header. vscode-jsonrpc's reader, given a header without a usable Content-Length,
 * reports an error and then parses the unread body as the start of the next header, for ever: the server
 * would never read another message.
 */
export class FrameResync extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  /** Body bytes of the current frame still to pass through. */
  private remaining = 0;
  /** After a bad frame: looking for the next header. */
  private skipping = false;

  constructor(private readonly onBadFrame: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let data = chunk;
    while (data.length) {
      if (this.remaining > 0) {
        // A body streams through as it arrives: a large message is never copied here.
        const n = Math.min(this.remaining, data.length);
        this.push(data.subarray(0, n));
        this.remaining -= n;
        data = data.subarray(n);
        continue;
      }
      const buf = this.pending.length ? Buffer.concat([this.pending, data]) : data;
      this.pending = Buffer.alloc(0);
      data = Buffer.alloc(0);
      if (this.skipping) {
        const at = buf.toString('latin1').search(HEADER_START);
        if (at < 0) {
          this.pending = Buffer.from(buf.subarray(Math.max(0, buf.length - 32)));
          break;
        }
        this.skipping = false;
        data = buf.subarray(at);
        continue;
      }
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length <= MAX_HEADER) {
          this.pending = Buffer.from(buf);
          break;
        }
        this.bad(buf, 'a header without its end');
        data = buf.subarray(1);
        continue;
      }
      const length = contentLength(buf.subarray(0, end).toString('latin1'));
      if (length === undefined) {
        this.bad(buf, 'a header without a valid Content-Length');
        // The frame's body has no known length: look for the next header from the next byte on.
        data = buf.subarray(1);
        continue;
      }
      this.push(Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'));
      this.remaining = length;
      data = buf.subarray(end + 4);
    }
    done();
  }

  private badFrames = 0;

  /** Logs the first few bad frames only: a client that sends nothing else must not flood the log. */
  private bad(buf: Buffer, reason: string): void {
    this.skipping = true;
    if (++this.badFrames > 5) return;
    const more = this.badFrames === 5 ? '; further bad frames are not logged' : '';
    this.onBadFrame(`${reason}: ${JSON.stringify(buf.subarray(0, 80).toString('latin1'))}${more}`);
  }
}

/** The Content-Length of a header block, or undefined when the block is not a valid LSP header. */
export function contentLength(header: string): number | undefined {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name !== 'content-length') continue;
    if (!/^\d{1,12}$/.test(value)) return undefined;
    length = Number(value);
  }
  return length;
}

/** Above this backlog, diagnostics and file statuses are coalesced: only the newest per document is kept. */
export const SOFT_BACKLOG = 1024 * 1024;
/** Above this backlog the server stops reading input and handling messages until the client reads (answers cannot be dropped). */
export const HARD_BACKLOG = 8 * 1024 * 1024;
const COALESCED = new Set([PublishDiagnosticsNotification.method, FileStatusNotification.method]);

/**
 * Writes frames straight to the stream (so its `writableLength` is the true backlog) and bounds it:
 * per-document notifications wait in a map keyed by method and URI while the client is not reading,
 * and input is paused (and, through Lifecycle's gate, messages already read are held) when even answers
 * pile up.
 */
export class BoundedWriter extends AbstractMessageWriter implements MessageWriter {
  private readonly waiting = new Map<string, Message>();
  private draining = false;
  private paused = false;
  private warned = false;

  constructor(
    private readonly out: Writable,
    private readonly input: Readable,
    private readonly log: (message: string) => void,
  ) {
    super();
    out.on('error', (error) => this.fireError(error));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    const key = coalesceKey(msg);
    if (key && (this.waiting.size || this.out.writableLength > SOFT_BACKLOG)) {
      this.waiting.delete(key);
      this.waiting.set(key, msg);
      this.armDrain();
      if (!this.warned) {
        this.warned = true;
        this.log('KB Hints: the client is not reading; only the newest diagnostics of each document are kept until it does.');
      }
      return Promise.resolve();
    }
    this.send(msg);
    return Promise.resolve();
  }

  /** The largest backlog seen, in bytes (stats). */
  peakBacklog = 0;

  end(): void {}

  private send(msg: Message): void {
    if (this.out.destroyed) return;
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.out.write(`Content-Length: ${body.length}\r\n\r\n`, 'ascii');
    this.out.write(body);
    if (this.out.writableLength > this.peakBacklog) this.peakBacklog = this.out.writableLength;
    if (this.out.writableLength > HARD_BACKLOG && !this.paused) {
      this.paused = true;
      this.input.pause();
    }
    if (this.out.writableLength > SOFT_BACKLOG) this.armDrain();
  }

  private armDrain(): void {
    if (this.draining) return;
    this.draining = true;
    // `drain` only follows a write that filled the stream's buffer; without one, flush on the next turn.
    if (this.out.writableNeedDrain) this.out.once('drain', this.onDrain);
    else setImmediate(this.onDrain);
  }

  private readonly onDrain = (): void => {
    this.draining = false;
    this.flush();
  };

  /** True when even answers pile up: the connection holds further messages until the client reads. */
  get backedUp(): boolean {
    return this.out.writableLength > HARD_BACKLOG;
  }

  /** Calls `callback` once the backlog is back under SOFT_BACKLOG. */
  whenDrained(callback: () => void): void {
    this.drainWaiters.push(callback);
    this.armDrain();
  }

  private drainWaiters: Array<() => void> = [];

  private flush(): void {
    for (const [key, msg] of this.waiting) {
      if (this.out.writableLength > SOFT_BACKLOG) break;
      this.waiting.delete(key);
      this.send(msg);
    }
    if (this.out.writableLength <= SOFT_BACKLOG) {
      if (this.paused) {
        this.paused = false;
        this.input.resume();
      }
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
    if (this.waiting.size || this.paused || this.drainWaiters.length) this.armDrain();
  }
}

function coalesceKey(msg: Message): string | undefined {
  const n = msg as NotificationMessage;
  if (typeof n.method !== 'string' || (msg as { id?: unknown }).id !== undefined || !COALESCED.has(n.method)) return undefined;
  const uri = (n.params as { uri?: unknown } | undefined)?.uri;
  return typeof uri === 'string' ? `${n.method}\u0000${uri}` : undefined;
}
