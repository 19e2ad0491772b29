// An API error in plain Chinese: the backend's message says what to do next; the field, if any, where.
import { Alert } from 'antd';
import { type ApiError } from '../api';
import { zh } from '../strings';

export function ErrorNotice({ error, onClose, testId = 'error' }: { error: ApiError | null; onClose?: () => void; testId?: string }): React.JSX.Element | null {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      title={error.message}
      description={error.field ? zh.errors.field(error.field) : undefined}
      closable={onClose ? { onClose } : false}
      style={{ marginBottom: 12 }}
    />
  );
}
