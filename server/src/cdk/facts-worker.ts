// The worker of prefetch.ts: reads the given TS/JS files (tsscan.ts), sends back their facts.
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { SeededFacts } from './match';
import { parseTsFacts } from './tsscan';

const out: SeededFacts[] = [];
for (const file of (workerData as { files: string[] }).files) {
  try {
    const stat = fs.statSync(file);
    out.push({ file, mtime: stat.mtimeMs, size: stat.size, facts: parseTsFacts(file, fs.readFileSync(file, 'utf8')) });
  } catch {
    // unreadable: the main thread will see
  }
}
parentPort?.postMessage(out);
