// @ts-check
// The engine bundle (dist/engine.js, built by `npm run build`), typed as its TypeScript sources so that
// type-checked tests see the real signatures. Tests import the engine from here, never from dist directly.
/** @type {typeof import('../../server/src/index')} */
module.exports = require('../../dist/engine.js');
