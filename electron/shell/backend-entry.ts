// Entry point of the backend's Electron utility process (bundled to backend-entry.cjs).
import { startBackend } from '../backend/backend';
import { runBackendChild } from './backend-child';

if (!process.parentPort) {
  console.error('backend-entry: must be started by the desktop shell (utilityProcess.fork); use `npm run serve` for a browser.');
  process.exit(2);
}

void runBackendChild({
  parentPort: process.parentPort,
  env: process.env,
  start: startBackend,
  exit: (code) => process.exit(code),
  log: (line) => console.error(line),
});
