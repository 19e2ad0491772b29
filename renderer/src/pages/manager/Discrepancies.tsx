// Every discrepancy, of any day, by status: the open ones are the manager's to-do list.
import { useState } from 'react';
import { Card, Select, Space } from 'antd';
import { api, type ApiError } from '../../api';
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

/** The list's frame: title, the status filter and the error notice, around the table. */
function DiscrepancyCard({ title, status, onStatus, error, children }: {
  title: React.ReactNode; status: Status; onStatus: (status: Status) => void; error: ApiError | null; children: React.ReactNode;
}): React.JSX.Element {
  return (
    <Card
      title={title}
      data-testid="discrepancy-list"
      extra={(
        <Space>
          <span>{zh.recon.filterStatus}</span>
          <Select<Status> style={{ width: 120 }} value={status} onChange={onStatus}
            options={[{ value: 'open', label: zh.recon.open }, { value: 'resolved', label: zh.recon.resolved }, { value: 'all', label: zh.recon.all }]} />
        </Space>
      )}
    >
      <ErrorNotice error={error} />
      {children}
    </Card>
  );
}

/** With a ledger: the store's discrepancies of any day, naming till and sale; resolved through the store-level path (filed for the owning till). */
function StoreDiscrepancies({ tills }: { tills: number | null }): React.JSX.Element {
  const [status, setStatus] = useState<Status>('open');
  const list = useLoad(() => api.storeDiscrepancies({ status }), [status]);
  return (
    <DiscrepancyCard title={<Space>{zh.recon.discrepanciesTitle}<StoreScopeTag tills={tills} /></Space>} status={status} onStatus={setStatus} error={list.error}>
      <StoreDiscrepancyTable discrepancies={list.data ?? []} readOnly={false} showDate onResolved={() => void list.reload()} />
    </DiscrepancyCard>
  );
}

function TillDiscrepancies(): React.JSX.Element {
  const [status, setStatus] = useState<Status>('open');
  const list = useLoad(() => api.discrepancies({ status }), [status]);
  return (
    <DiscrepancyCard title={zh.recon.discrepanciesTitle} status={status} onStatus={setStatus} error={list.error}>
      <DiscrepancyTable discrepancies={list.data ?? []} loading={list.loading} showDate onResolved={() => void list.reload()} />
    </DiscrepancyCard>
  );
}
