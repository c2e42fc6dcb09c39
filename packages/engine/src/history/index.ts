/** A history as NDJSON, in and out of a store, checked line by line: what `duban export`/`import` use. */
export * from './check';
export * from './export';
export * from './import';
export * from './lines';
export * from './strict-json';
export { utf8Length } from './utf8';
