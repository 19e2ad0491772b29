// Connection to the insurance centre: sandbox (training) or the real HTTP endpoint, the pharmacy's
// codes, the timeout; and a connection test.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select } from 'antd';
import { CentreSettings } from '../../../../core/contracts/technician';
import { api, type ApiError, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

export function CentrePage(): React.JSX.Element {
  const settings = useLoad(() => api.centreSettings());
  const [form] = Form.useForm<CentreSettings>();
  const [error, setError] = useState<ApiError | null>(null);
  const { message } = App.useApp();
  const mode = Form.useWatch('mode', form);
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);
  const runTest = async (): Promise<void> => {
    try {
      const r = await api.centreOnlineTest();
      setTest({ ok: r.ok, text: `${r.message}（${r.ms} 毫秒）` });
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => { if (settings.data) form.setFieldsValue(settings.data); }, [settings.data, form]);

  const save = async (): Promise<void> => {
    const values = form.getFieldsValue();
    const parsed = CentreSettings.safeParse({ ...values, url: values.url ? values.url : null, policyFeedUrl: values.policyFeedUrl ? values.policyFeedUrl : null, ledgerUrl: values.ledgerUrl ? values.ledgerUrl : null, tillId: values.tillId ? values.tillId : null });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setError(inputError(String(issue.path[0] ?? 'url'), issue.message));
      return;
    }
    try {
      form.setFieldsValue(await api.saveCentreSettings(parsed.data));
      setError(null);
      void message.success(zh.saved);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Card title={zh.technician.centreTitle} data-testid="centre" style={{ maxWidth: 760 }}>
      <ErrorNotice error={settings.error ?? error} onClose={() => setError(null)} />
      <Alert type="info" showIcon title={zh.technician.centreRestart} style={{ marginBottom: 12 }} />
      <Form form={form} layout="horizontal" labelCol={{ span: 7 }} onFinish={() => void save()}>
        <Form.Item name="mode" label={zh.technician.centreMode}>
          <Select options={[{ value: 'sandbox', label: zh.technician.centreSandbox }, { value: 'http', label: zh.technician.centreHttp }]} />
        </Form.Item>
        <Form.Item name="url" label={zh.technician.centreUrl}><Input disabled={mode === 'sandbox'} placeholder="https://" /></Form.Item>
        <Form.Item name="institutionCode" label={zh.technician.institutionCode}><Input data-testid="centre-institution-code" /></Form.Item>
        <Form.Item name="institutionName" label={zh.technician.institutionName}><Input /></Form.Item>
        <Form.Item name="areaCode" label={zh.technician.areaCode}><Input maxLength={6} /></Form.Item>
        <Form.Item name="timeoutMs" label={zh.technician.timeoutMs}><InputNumber min={1000} max={120000} step={1000} style={{ width: 160 }} /></Form.Item>
        <Form.Item name="policyFeedUrl" label={zh.technician.policyFeedUrl}><Input disabled={mode === 'sandbox'} placeholder="https://" /></Form.Item>
        <Form.Item name="ledgerUrl" label={zh.technician.ledgerUrl} extra={zh.technician.ledgerHint}><Input placeholder="postgres://用户@主机:5432/数据库" data-testid="centre-ledger-url" /></Form.Item>
        <Form.Item name="tillId" label={zh.technician.tillId}><Input placeholder="T1" maxLength={3} style={{ width: 120 }} data-testid="centre-till-id" /></Form.Item>
        <Button type="primary" htmlType="submit" data-testid="save-centre">{zh.save}</Button>{' '}
        <Button onClick={() => void runTest()} data-testid="centre-test">{zh.technician.centreTest}</Button>
      </Form>
      {test && <Alert type={test.ok ? 'success' : 'error'} showIcon title={test.text} data-testid="centre-test-result" style={{ marginTop: 12 }} />}
    </Card>
  );
}
