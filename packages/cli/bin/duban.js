#!/usr/bin/env node
// The duban command line: runs the compiled CommonJS build (`pnpm build` makes it in the workspace;
// the published tarball ships it), so no TypeScript loader is needed at run time. `duban verify`
// sizes V8's heap first, before the build's modules are allocated (heap-tuning.js).
'use strict';
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports */
require('./heap-tuning').tuneHeapFor(process.argv.slice(2));
require('../dist/index.cjs').main();
