// `node:crypto` in the browser's server bundle (scripts/build.mjs resolves it here). Only Helm's
// `sha1sum`/`sha256sum` template functions hash, and Helm charts are read from disk, which a browser does
// not have: a template that got that far fails to render (and is reported as such) rather than hashing wrongly.
export function createHash(algorithm: string): never {
  throw new Error(`${algorithm} is not available in the browser build of KB Hints`);
}
