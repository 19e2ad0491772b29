// Shows an amount exactly as the API sent it (a two-decimal string); the UI never does arithmetic on money.
import { zh } from '../strings';

export function Amount({ value, size = 'normal', testId }: { value: string | null | undefined; size?: 'normal' | 'large' | 'huge'; testId?: string }): React.JSX.Element {
  return (
    <span className={`amount amount-${size}`} data-testid={testId}>
      {value === null || value === undefined ? zh.none : `${zh.yuan}${value}`}
    </span>
  );
}
