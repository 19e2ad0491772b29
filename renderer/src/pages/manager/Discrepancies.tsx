// Every discrepancy, of any day, by status: the open ones are the manager's to-do list.
import { useState } from 'react';
import { Card, Select, Space } from 'antd';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';
import { DiscrepancyTable } from './DiscrepancyTable';
import { StoreDiscrepancyTable } from './StoreDiscrepancyTable';
import { StoreScopeTag, useStoreScope } from './StoreScope';

type Status = 'open' | 'resolved' | 'all';

export function Discrepancies(): React.JSX.Element {
  const scope = useStoreScope();
  return scope.store ? <StoreDiscrepancies tills={scope.tills} /> : <TillDiscrepancies />;
}

/** With a ledger: the store's discrepancies of any day, naming till and sale; resolved through the store-level path (filed for the owning till). */
function StoreDiscrepancies({ tills }: { tills: number | null }): React.JSX.Element {
  const [status, setStatus] = useState<Status>('open');
  const list = useLoad(() => api.storeDiscrepancies({ status }), [status]);
  return (
    <Card
      title={<Space>{zh.recon.discrepanciesTitle}<StoreScopeTag tills={tills} /></Space>}
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
      <StoreDiscrepancyTable discrepancies={list.data ?? []} readOnly={false} showDate onResolved={() => void list.reload()} />
    </Card>
  );
}

function TillDiscrepancies(): React.JSX.Element {
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
