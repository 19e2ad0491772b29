// Policy packages in force: region, version, the document they rest on, and every parameter with
// its source; a parameter nobody could confirm is marked, never silently filled in.
import { useState } from 'react';
import { Alert, Button, Card, Collapse, Table, Tag, Typography } from 'antd';
import { type z } from 'zod';
import { type PolicyParameterView, type PolicyVersionView } from '../../../../core/contracts/technician';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { type ApiError } from '../../api';
import { zh } from '../../strings';

type Policy = z.infer<typeof PolicyVersionView>;
type Parameter = z.infer<typeof PolicyParameterView>;

export function PoliciesPage(): React.JSX.Element {
  const policies = useLoad(() => api.policies());
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const update = async (): Promise<void> => {
    try {
      const r = await api.updatePolicies();
      setResult(zh.technician.policyUpdateResult(r.added.length, r.unchanged.length, r.refused.length));
      setError(null);
      await policies.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Card title={zh.technician.policiesTitle} data-testid="policies" loading={policies.loading && !policies.data}
      extra={<Button onClick={() => void update()} data-testid="policy-update">{zh.technician.policyUpdate}</Button>}>
      <ErrorNotice error={policies.error ?? error} onClose={() => setError(null)} />
      {result && <Alert type="success" showIcon title={result} data-testid="policy-update-result" style={{ marginBottom: 12 }} />}
      <Collapse
        items={(policies.data ?? []).map((p: Policy) => ({
          key: `${p.region}-${p.version}`,
          label: (
            <span>
              <Typography.Text strong>{p.regionName}（{p.region}）</Typography.Text> {zh.technician.policyVersion} {p.version}{' '}
              <Tag color={p.inForce ? 'green' : 'default'}>{p.inForce ? zh.technician.policyInForce : zh.technician.policyNotInForce}</Tag>
              <Typography.Text type="secondary">{zh.technician.policyEffective} {p.effectiveFrom ?? zh.none} ~ {p.effectiveTo ?? zh.none}</Typography.Text>
            </span>
          ),
          children: (
            <>
              <Typography.Paragraph>{zh.technician.policyDocument}：{p.document}</Typography.Paragraph>
              <Table<Parameter>
                size="small" rowKey="name" dataSource={p.parameters} pagination={false}
                columns={[
                  { title: zh.technician.paramName, dataIndex: 'name' },
                  { title: zh.technician.paramValue, key: 'value', render: (_, x) => (x.known ? <span className="mono">{x.value ?? zh.none}</span> : <Tag color="orange">{zh.technician.paramUnknown}</Tag>) },
                  { title: zh.technician.paramSource, dataIndex: 'source', render: (s: string) => <Typography.Text type="secondary">{s}</Typography.Text> },
                ]}
              />
            </>
          ),
        }))}
      />
    </Card>
  );
}
