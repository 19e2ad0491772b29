// Typechecks each layer with its own tsconfig: core/ with no Node types (so `process` or `Buffer`
// there fails), renderer/ with the DOM only, the Electron shell against electron's own typings.
import { spawn } from 'node:child_process';

const projects = ['core', 'native', 'electron', 'electron/shell', 'renderer', 'test'];
const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', `${project}/tsconfig.json`, '--pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ project, code, out }));
  });
}

// Two at a time: this machine (and CI) has two cores.
const queue = [...projects];
const results = [];
await Promise.all([0, 1].map(async () => {
  while (queue.length) results.push(await check(queue.shift()));
}));
let failed = false;
for (const r of results.sort((a, b) => projects.indexOf(a.project) - projects.indexOf(b.project))) {
  if (r.code !== 0) { failed = true; process.stdout.write(`✗ ${r.project}\n${r.out}`); } else process.stdout.write(`✓ ${r.project}\n`);
}
process.exit(failed ? 1 : 0);
