// Every discrepancy, of any day, by status: the open ones are the manager's to-do list.
import { useState } from 'react';
import { Card, Select, Space } from 'antd';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';
import { DiscrepancyTable } from './DiscrepancyTable';

type Status = 'open' | 'resolved' | 'all';

export function Discrepancies(): React.JSX.Element {
  const [status, setStatus] = useState<Status>('open');
  const list = useLoad(() => api.discrepancies({ status }), [status]);
  return (
    <Card
      title={zh.recon.discrepanciesTitle}
      data-testid="discrepancy-list"
      extra={(
        <Space>
          <span>{zh.recon.filterStatus}</span>
          <Select<Status> style={{ width: 120 }} value={status} onChange={setStatus}
            options={[{ value: 'open', label: zh.recon.open }, { value: 'resolved', label: zh.recon.resolved }, { value: 'all', label: zh.recon.all }]} />
        </Space>
      )}
    >
      <ErrorNotice error={list.error} />
      <DiscrepancyTable discrepancies={list.data ?? []} loading={list.loading} showDate onResolved={() => void list.reload()} />
    </Card>
  );
}
