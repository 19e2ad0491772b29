// A button that shows its function key, so the cashier learns the keys from the screen.
import { Button, type ButtonProps } from 'antd';

export function KeyButton({ hotkey, children, ...rest }: ButtonProps & { hotkey: string }): React.JSX.Element {
  return (
    <Button {...rest}>
      <span>{children}</span>
      <kbd className="key-hint">{hotkey === 'Escape' ? 'Esc' : hotkey}</kbd>
    </Button>
  );
}
