// Bearer tokens for the store's POS software: create (the secret is shown once), revoke.
import { useState } from 'react';
import { Alert, Button, Card, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { type z } from 'zod';
import { type PosTokenCreated, type PosTokenInfo } from '../../../../core/contracts/auth';
import { api, type ApiError, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

type TokenInfo = z.infer<typeof PosTokenInfo>;

export function PosTokens(): React.JSX.Element {
  const tokens = useLoad(() => api.posTokens());
  const [name, setName] = useState('');
  const [created, setCreated] = useState<z.infer<typeof PosTokenCreated> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const create = async (): Promise<void> => {
    if (!name.trim()) { setError(inputError('name', zh.manager.posNamePlaceholder)); return; }
    try {
      setCreated(await api.createPosToken(name.trim()));
      setName('');
      setError(null);
      await tokens.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const revoke = async (id: string): Promise<void> => {
    try {
      await api.revokePosToken(id);
      await tokens.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <Card title={zh.manager.posTitle} data-testid="pos-tokens">
      <ErrorNotice error={tokens.error ?? error} onClose={() => setError(null)} />
      <Space style={{ marginBottom: 12 }}>
        <Input placeholder={zh.manager.posNamePlaceholder} value={name} onChange={(e) => setName(e.target.value)} onPressEnter={() => void create()} style={{ width: 260 }} data-testid="pos-name" />
        <Button type="primary" onClick={() => void create()} data-testid="create-token">{zh.manager.createToken}</Button>
      </Space>
      <Table<TokenInfo>
        size="small" rowKey="id" loading={tokens.loading} dataSource={tokens.data ?? []} pagination={false}
        columns={[
          { title: zh.manager.posName, dataIndex: 'name' },
          { title: zh.manager.posCreated, dataIndex: 'createdAt', render: (t: string) => new Date(t).toLocaleString('zh-CN', { hour12: false }) },
          { title: zh.manager.active, key: 'state', render: (_, t) => <Tag color={t.revokedAt ? 'default' : 'green'}>{t.revokedAt ? zh.manager.posRevoked : zh.manager.posActive}</Tag> },
          {
            title: zh.actions, key: 'actions', width: 100,
            render: (_, t) => !t.revokedAt && (
              <Popconfirm title={zh.manager.revokeConfirm(t.name)} okText={zh.ok} cancelText={zh.cancel} onConfirm={() => revoke(t.id)}>
                <Button size="small" danger data-testid={`revoke-${t.name}`}>{zh.manager.revoke}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal open={created !== null} title={created?.name} onOk={() => setCreated(null)} onCancel={() => setCreated(null)} okText={zh.ok} cancelButtonProps={{ style: { display: 'none' } }}>
        <Alert type="warning" showIcon title={zh.manager.tokenOnce} style={{ marginBottom: 8 }} />
        <Typography.Paragraph copyable={{ text: created?.token }} className="mono" data-testid="created-token">{created?.token}</Typography.Paragraph>
      </Modal>
    </Card>
  );
}
