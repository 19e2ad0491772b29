import { Button, Result } from 'antd';
import { type Role } from '../../../core/contracts/common';
import { homeFor, navigate } from '../routes';
import { zh } from '../strings';

export function Forbidden({ role }: { role: Role }): React.JSX.Element {
  return (
    <Result
      status="403"
      data-testid="forbidden"
      title={zh.shell.forbiddenTitle}
      subTitle={zh.shell.forbiddenText(role)}
      extra={<Button type="primary" onClick={() => navigate(homeFor(role))}>{zh.shell.backToWorkspace}</Button>}
    />
  );
}
