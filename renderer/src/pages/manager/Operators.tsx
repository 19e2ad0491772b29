// Operators of this store: add (with an initial PIN), deactivate (ends their sessions at once).
import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Table, Tag } from 'antd';
import { type z } from 'zod';
import { CreateOperatorRequest, type OperatorInfo } from '../../../../core/contracts/auth';
import { type Role } from '../../../../core/contracts/common';
import { api, type ApiError, currentSession, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

type Operator = z.infer<typeof OperatorInfo>;
const ROLES: Role[] = ['cashier', 'manager', 'technician', 'headoffice'];

export function Operators(): React.JSX.Element {
  const operators = useLoad(() => api.operators());
  const [adding, setAdding] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const { message } = App.useApp();
  const me = currentSession()?.operatorId;

  const deactivate = async (id: string): Promise<void> => {
    try {
      await api.deactivateOperator(id);
      void message.success(zh.saved);
      await operators.reload();
    } catch (e) {
      setActionError(asApiError(e));
    }
  };

  return (
    <Card title={zh.manager.operatorsTitle} data-testid="operators"
      extra={<Button type="primary" onClick={() => setAdding(true)} data-testid="add-operator">{zh.manager.addOperator}</Button>}>
      <ErrorNotice error={operators.error ?? actionError} onClose={() => setActionError(null)} />
      <Table<Operator>
        size="small" rowKey="operatorId" loading={operators.loading} dataSource={operators.data ?? []} pagination={false}
        columns={[
          { title: zh.manager.operatorId, dataIndex: 'operatorId', width: 120 },
          { title: zh.manager.operatorName, dataIndex: 'name' },
          { title: zh.manager.role, dataIndex: 'role', render: (r: Role) => zh.roleLabel(r) },
          { title: zh.manager.active, dataIndex: 'active', render: (a: boolean) => <Tag color={a ? 'green' : 'default'}>{a ? zh.manager.activeYes : zh.manager.activeNo}</Tag> },
          {
            title: zh.actions, key: 'actions', width: 100,
            render: (_, o) => o.active && o.operatorId !== me && (
              <Popconfirm title={zh.manager.deactivateConfirm(o.operatorId)} okText={zh.ok} cancelText={zh.cancel} onConfirm={() => deactivate(o.operatorId)}>
                <Button size="small" danger data-testid={`deactivate-${o.operatorId}`}>{zh.manager.deactivate}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <AddOperator open={adding} onClose={() => setAdding(false)} onAdded={() => { setAdding(false); void operators.reload(); }} />
    </Card>
  );
}

function AddOperator({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: () => void }): React.JSX.Element {
  const [form] = Form.useForm<{ operatorId: string; name: string; role: Role; pin: string }>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    const parsed = CreateOperatorRequest.safeParse(form.getFieldsValue());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setError(inputError(String(issue.path[0] ?? 'operatorId'), issue.message));
      return;
    }
    setBusy(true);
    try {
      await api.createOperator(parsed.data);
      form.resetFields();
      setError(null);
      onAdded();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={zh.manager.addOperator} okText={zh.save} cancelText={zh.cancel} onOk={() => void submit()} onCancel={onClose} okButtonProps={{ loading: busy }} destroyOnHidden>
      <ErrorNotice error={error} />
      <Form form={form} layout="vertical" initialValues={{ role: 'cashier' }} onFinish={() => void submit()}>
        <Form.Item name="operatorId" label={zh.manager.operatorId}><Input data-testid="new-operator-id" autoFocus /></Form.Item>
        <Form.Item name="name" label={zh.manager.operatorName}><Input data-testid="new-operator-name" /></Form.Item>
        <Form.Item name="role" label={zh.manager.role}>
          <Select<Role> options={ROLES.map((r) => ({ value: r, label: zh.roleLabel(r) }))} />
        </Form.Item>
        <Form.Item name="pin" label={zh.manager.pin}><Input.Password data-testid="new-operator-pin" onPressEnter={() => void submit()} /></Form.Item>
      </Form>
    </Modal>
  );
}
