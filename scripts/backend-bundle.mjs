// How the backend is bundled, shared by the shell build (scripts/build-shell.mjs) and the cold-start
// bench, so the bench measures what ships. Pure-JS dependencies (fastify, zod, decimal.js, pg,
// sm-crypto-v2 …) are bundled in: one file read and compiled instead of hundreds of node_modules
// files resolved and read at every start. What stays external, loaded from node_modules:
//   - packages with native bindings, which must load their .node file from the unpacked folder;
//   - exceljs, which is large and only loaded when a report is exported (dynamic import).
export const BACKEND_EXTERNAL = [
  'better-sqlite3', 'serialport', '@serialport/*', 'koffi', '@pokusew/pcsclite', 'exceljs', 'electron',
];

/** esbuild options for a backend bundle (merge entryPoints/outfile/format as the caller needs). */
export const backendBundleOptions = {
  bundle: true, platform: 'node', external: BACKEND_EXTERNAL, logLevel: 'warning',
};
