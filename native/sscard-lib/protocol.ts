// Messages between the library driver and its host process (native/sscard-lib/host.ts).
export const PROBED_FUNCTIONS = ['iReadCardBas', 'iReadCardBas_HSM_Step1', 'iReadCardBas_HSM_Step2', 'iReadCard', 'iVerifyPIN', 'iGetReaderInfo'] as const;

export type HostRequest =
  | { readonly id: number; readonly op: 'probe'; readonly lib: string; readonly convention: 'cdecl' | 'stdcall' }
  | { readonly id: number; readonly op: 'call'; readonly lib: string; readonly convention: 'cdecl' | 'stdcall'; readonly fn: string; readonly mode: number; readonly outSize: number };

export type HostReply =
  | { readonly id: number; readonly ok: true; readonly op: 'probe'; readonly found: string[] }
  | { readonly id: number; readonly ok: true; readonly op: 'call'; readonly rc: number; readonly out: string }
  | { readonly id: number; readonly ok: false; readonly stage: 'load' | 'symbol'; readonly message: string };
