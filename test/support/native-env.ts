// Sets a variable in the C environment of this process. Vitest's workers give JavaScript a copy of
// process.env, so a value set there never reaches getenv() of a native library (libpcsclite reads
// PCSCLITE_CSOCK_NAME that way); setenv() from libc through koffi does.
import koffi from 'koffi';

let setenv: ((name: string, value: string, overwrite: number) => number) | undefined;

export function setNativeEnv(name: string, value: string): void {
  process.env[name] = value;
  if (process.platform === 'win32') return;
  setenv ??= koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6').func('int setenv(const char *name, const char *value, int overwrite)') as unknown as typeof setenv;
  if (setenv!(name, value, 1) !== 0) throw new Error(`setenv(${name}) failed`);
}
