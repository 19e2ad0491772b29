// Function keys for the keyboard-first screens. The browser's own meaning of F1/F3/F5/F7/F10 (help,
// find, reload, caret browsing, menu) is suppressed while a binding is active, so a cashier's
// habit can never reload the page in the middle of a sale.
import { useEffect, useRef } from 'react';

export type HotkeyMap = Partial<Record<string, () => void>>;

export function useHotkeys(bindings: HotkeyMap, enabled = true): void {
  const latest = useRef(bindings);
  useEffect(() => { latest.current = bindings; });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent): void => {
      const action = latest.current[event.key];
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      if (!event.repeat) action();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
