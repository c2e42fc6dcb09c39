#!/usr/bin/env node
// The duban command line: runs the compiled CommonJS build (`pnpm build` makes it in the workspace;
// the published tarball ships it), so no TypeScript loader is needed at run time.
'use strict';
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
require('../dist/index.cjs').main();
