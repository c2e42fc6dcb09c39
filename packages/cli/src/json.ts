// Strict JSON lives in the engine, which reads history lines with it too (importHistory).
export { MAX_JSON_DEPTH, depthProblem, parseStrictJson, type StrictJson } from '@duban/engine';
