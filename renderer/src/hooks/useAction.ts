// One API action from a dialog: it runs once at a time (a second Enter does nothing while busy) and
// its failure becomes the error the dialog shows.
import { useCallback, useRef, useState } from 'react';
import { type ApiError } from '../api';
import { asApiError } from './useLoad';

export interface Action {
  readonly busy: boolean;
  readonly error: ApiError | null;
  setError(error: ApiError | null): void;
  run(task: () => Promise<void>): Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = useRef(false);
  const run = useCallback(async (task: () => Promise<void>): Promise<void> => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
