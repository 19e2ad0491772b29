// Terminal status for every workspace: fetched once, then kept current by the backend's event
// stream ('status' events carry a StatusView), with a slow poll as a safety net. Other live
// events ('card', 'sync') are handed to whichever page listens.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { StatusView } from '../../core/contracts/status';
import { api, type ApiError } from './api';
import { asApiError } from './hooks/useLoad';

export type LiveListener = (type: string, data: unknown) => void;

interface LiveState {
  status: StatusView | null;
  /** Why the status is missing (backend down, or the endpoint not offered yet). */
  statusError: ApiError | null;
  refreshStatus(): Promise<void>;
  subscribe(listener: LiveListener): () => void;
}

const LiveContext = createContext<LiveState | null>(null);
const POLL_MS = 15_000;

export function LiveProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [status, setStatus] = useState<StatusView | null>(null);
  const [statusError, setStatusError] = useState<ApiError | null>(null);
  const listeners = useRef(new Set<LiveListener>());

  const refreshStatus = useCallback(async (): Promise<void> => {
    try {
      setStatus(await api.status());
      setStatusError(null);
    } catch (error) {
      setStatusError(asApiError(error));
    }
  }, []);
  const subscribe = useCallback((listener: LiveListener) => {
    listeners.current.add(listener);
    return () => { listeners.current.delete(listener); };
  }, []);

  useEffect(() => {
    void refreshStatus();
    const timer = setInterval(() => void refreshStatus(), POLL_MS);
    const url = api.eventsUrl();
    const source = url ? new EventSource(url) : null;
    const forward = (type: string) => (event: MessageEvent<string>): void => {
      let data: unknown;
      try { data = JSON.parse(event.data); } catch { return; }
      if (type === 'status') {
        const parsed = StatusView.safeParse(data);
        if (parsed.success) { setStatus(parsed.data); setStatusError(null); } else void refreshStatus();
      }
      // A finished sync changes the queue counts: ask for the status rather than guess them.
      if (type === 'sync') void refreshStatus();
      for (const listener of listeners.current) listener(type, data);
    };
    for (const type of ['status', 'card', 'sync']) source?.addEventListener(type, forward(type) as EventListener);
    return () => { clearInterval(timer); source?.close(); };
  }, [refreshStatus]);

  const value = useMemo<LiveState>(() => ({ status, statusError, refreshStatus, subscribe }), [status, statusError, refreshStatus, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  const state = useContext(LiveContext);
  if (!state) throw new Error('useLive outside LiveProvider');
  return state;
}

/** Calls back on each live event of the given types while the component is mounted. */
export function useLiveEvent(types: readonly string[], callback: LiveListener): void {
  const { subscribe } = useLive();
  const latest = useRef(callback);
  useEffect(() => { latest.current = callback; });
  const key = types.join(',');
  useEffect(() => subscribe((type, data) => { if (key.split(',').includes(type)) latest.current(type, data); }), [subscribe, key]);
}
