#!/usr/bin/env node
// The duban command line. The sources are TypeScript, run through tsx's require hook.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
require('tsx/cjs');
require('../src/main.ts').main();
