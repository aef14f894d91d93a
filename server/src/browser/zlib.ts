// `node:zlib` in the browser's server bundle (scripts/build.mjs resolves it here). Only packaged Helm charts
// (`charts/*.tgz`) are unpacked, and they are read from disk, which a browser does not have: unpacking one
// fails as a damaged archive does, and the chart's reader goes on without its files.
export function gunzipSync(): never {
  throw new Error('gunzip is not available in the browser build of KB Hints');
}
