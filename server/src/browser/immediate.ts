// `setImmediate` in a Web Worker, which has only timers: the diagnostics scheduler yields to the message
// queue with it (lsp/diagnostics.ts). Imported first by browserServer.ts, before any module that uses it.
const scope = globalThis as { setImmediate?: unknown; clearImmediate?: unknown };
scope.setImmediate ??= (run: (...args: unknown[]) => void, ...args: unknown[]) => setTimeout(run, 0, ...args);
scope.clearImmediate ??= (timer: ReturnType<typeof setTimeout>) => clearTimeout(timer);
