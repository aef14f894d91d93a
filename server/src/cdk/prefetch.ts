// The CLI reads the CDK apps' TypeScript/JavaScript sources (tsscan.ts) on a worker thread while it lints:
// reading a large app's sources then overlaps the lint instead of following it.
// The worker (`dist/cdk-facts.js`, facts-worker.ts) sends back each file's facts; they seed match.ts's
// cache. Any failure just leaves the cache empty: the placement then parses in this thread.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { appDirAbove, findAppDirs, readApp } from './assembly';
import { seedFacts, sourceFiles, type SeededFacts } from './match';

export function prefetchSourceFacts(roots: readonly string[]): Promise<void> {
  let files: string[];
  try {
    // Folders are searched for apps; a file (the CLI passes the files it collected) names the app above
    // it if it is a synthesized template.
    const dirs = new Set<string>();
    const seen = new Set<string>();
    for (const r of roots) {
      const stat = fs.statSync(r, { throwIfNoEntry: false });
      if (stat?.isDirectory()) for (const d of findAppDirs([r])) dirs.add(d);
      else if (stat?.isFile() && /\.template\.json$/i.test(r) && !seen.has(path.dirname(r))) {
        seen.add(path.dirname(r));
        const d = appDirAbove(r);
        if (d) dirs.add(d);
      }
    }
    files = [];
    for (const d of dirs) {
      const app = readApp(d);
      if (app) files.push(...sourceFiles(app.dir, app.out).filter((f) => !f.endsWith('.py')));
    }
  } catch {
    return Promise.resolve();
  }
  const script = path.join(__dirname, 'cdk-facts.js');
  if (!files.length || !fs.existsSync(script)) return Promise.resolve();
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: { files } });
    } catch {
      return resolve();
    }
    worker.once('message', (entries: SeededFacts[]) => {
      seedFacts(entries);
      void worker.terminate();
      resolve();
    });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}
