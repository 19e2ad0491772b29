import { useEffect, useState } from 'react';
import { Alert, Layout, Typography } from 'antd';
import { api } from './api';
import { zh } from './strings';

type Status = { kind: 'loading' } | { kind: 'ok'; version: string } | { kind: 'down' };

export function App(): React.JSX.Element {
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  useEffect(() => {
    api.health().then((h) => setStatus({ kind: 'ok', version: h.version }), () => setStatus({ kind: 'down' }));
  }, []);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ color: '#fff', fontSize: 18 }}>{zh.appName}</Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        {status.kind === 'loading' && <Typography.Text>{zh.loading}</Typography.Text>}
        {status.kind === 'ok' && (
          <Alert type="success" showIcon data-testid="backend-status" title={`${zh.backendOk} · ${zh.version} ${status.version}`} />
        )}
        {status.kind === 'down' && <Alert type="error" showIcon data-testid="backend-status" title={zh.backendDown} />}
      </Layout.Content>
    </Layout>
  );
}
