// The child process that holds a vendor's 社保卡 library: it loads the DLL/.so through koffi and
// makes the calls the parent asks for, one at a time. It exists so that a library which crashes
// (a segfault takes this process down, not the backend) or hangs (the parent kills it after its
// timeout) cannot freeze or kill the API. It only loads and calls; the parent parses and judges.
import koffi, { type LibraryHandle } from 'koffi';
import { type HostReply, type HostRequest, PROBED_FUNCTIONS } from './protocol';

type NativeFn = (...args: unknown[]) => unknown;
interface Loaded { readonly lib: LibraryHandle; readonly fns: Map<string, NativeFn> }
const libraries = new Map<string, Loaded>();

function load(path: string): Loaded {
  let loaded = libraries.get(path);
  if (!loaded) {
    loaded = { lib: koffi.load(path), fns: new Map() };
    libraries.set(path, loaded);
  }
  return loaded;
}

/** `long <convention> fn(int iType, char *pOutInfo)`: the basic-information read's signature. */
function fn(loaded: Loaded, name: string, convention: 'cdecl' | 'stdcall'): NativeFn {
  const key = `${convention} ${name}`;
  let f = loaded.fns.get(key);
  if (!f) {
    f = loaded.lib.func(`long ${convention === 'stdcall' ? '__stdcall ' : ''}${name}(int iType, _Out_ uint8_t *pOutInfo)`) as unknown as NativeFn;
    loaded.fns.set(key, f);
  }
  return f;
}

function handle(request: HostRequest): HostReply {
  let loaded: Loaded;
  try {
    loaded = load(request.lib);
  } catch (error) {
    return { id: request.id, ok: false, stage: 'load', message: error instanceof Error ? error.message : String(error) };
  }
  if (request.op === 'probe') {
    const found = PROBED_FUNCTIONS.filter((name) => {
      try { fn(loaded, name, request.convention); return true; } catch { return false; }
    });
    return { id: request.id, ok: true, op: 'probe', found };
  }
  let f: NativeFn;
  try {
    f = fn(loaded, request.fn, request.convention);
  } catch (error) {
    return { id: request.id, ok: false, stage: 'symbol', message: error instanceof Error ? error.message : String(error) };
  }
  const out = Buffer.alloc(request.outSize);
  const rc = Number(f(request.mode, out));
  const end = out.indexOf(0);
  return { id: request.id, ok: true, op: 'call', rc, out: out.subarray(0, end < 0 ? out.length : end).toString('base64') };
}

process.on('message', (request: HostRequest) => {
  process.send!(handle(request));
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
