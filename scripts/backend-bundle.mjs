// How the backend is bundled, shared by the shell build (scripts/build-shell.mjs) and the cold-start
// bench, so the bench measures what ships. Pure-JS dependencies (fastify, zod, decimal.js, pg,
// sm-crypto-v2 …) are bundled in: one file read and compiled instead of hundreds of node_modules
// files resolved and read at every start. What stays external, loaded from node_modules:
//   - packages with native bindings, which must load their .node file from the unpacked folder;
//   - exceljs, which is large and only loaded when a report is exported (dynamic import).
export const BACKEND_EXTERNAL = [
  'better-sqlite3', 'serialport', '@serialport/*', 'koffi', '@pokusew/pcsclite', 'exceljs', 'electron',
];

/**
 * JSON files (the interface editions, the embedded policy packages, the training data, a few in
 * packages: ~200 KiB) become `JSON.parse("…")` instead of esbuild's object literals: V8 parses JSON
 * text several times faster than it builds the same objects from code, at every start. Same values;
 * CommonJS-shaped, so both `import x from './x.json'` and a package's `require('./x.json')` get them.
 */
import { readFile } from 'node:fs/promises';
const jsonAsJsonParse = {
  name: 'json-as-json-parse',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      JSON.parse(text); // a broken file fails the build here, as esbuild's own JSON loader would
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

/** esbuild options for a backend bundle (merge entryPoints/outfile/format as the caller needs). */
export const backendBundleOptions = {
  bundle: true, platform: 'node', external: BACKEND_EXTERNAL, logLevel: 'warning', plugins: [jsonAsJsonParse],
};
