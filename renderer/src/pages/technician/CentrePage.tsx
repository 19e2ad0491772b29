// Connection to the insurance centre: sandbox (training) or the real HTTP endpoint, the pharmacy's
// codes, the interface edition (接口版本) and gateway security, the timeout, the gateway secrets
// (stored as 0600 files, never shown again); and a connection test.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import { CENTRE_SECRET_NAMES, CentreSettings } from '../../../../core/contracts/technician';
import { api, type ApiError, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

export function CentrePage(): React.JSX.Element {
  const settings = useLoad(() => api.centreSettings());
  const editions = useLoad(() => api.centreEditions());
  const [profileText, setProfileText] = useState('');
  const importEdition = async (): Promise<void> => {
    let json: unknown;
    try { json = JSON.parse(profileText); } catch { setError(inputError('edition', zh.technician.editionNotJson)); return; }
    try {
      const imported = await api.importCentreEdition(json);
      setProfileText('');
      setError(null);
      void editions.reload();
      void message.success(zh.technician.editionImported(imported.name));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const secrets = useLoad(() => api.centreSecrets());
  const [secretValues, setSecretValues] = useState<Record<string, string>>({});
  const [stored, setStored] = useState<Record<string, boolean> | null>(null);
  const [form] = Form.useForm<CentreSettings>();
  const [error, setError] = useState<ApiError | null>(null);
  const { message } = App.useApp();
  const mode = Form.useWatch('mode', form);
  const editionId = Form.useWatch('edition', form);
  const edition = editions.data?.find((e) => e.id === editionId);
  const saveSecret = async (name: (typeof CENTRE_SECRET_NAMES)[number]): Promise<void> => {
    try {
      const r = await api.saveCentreSecret({ name, value: secretValues[name] ?? '' });
      setStored(r.stored);
      setSecretValues((v) => ({ ...v, [name]: '' }));
      setError(null);
      void message.success(zh.saved);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const storedNow: Record<string, boolean> = stored ?? secrets.data?.stored ?? {};
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);
  const runTest = async (): Promise<void> => {
    try {
      const r = await api.centreOnlineTest();
      setTest({ ok: r.ok, text: `${r.message}（${r.ms} 毫秒）` });
    } catch (e) {
      setError(asApiError(e));
    }
  };
  // "As the edition says" is null in the settings and '' in the form's select.
  const toForm = (value: CentreSettings): CentreSettings => ({ ...value, security: (value.security ?? '') as CentreSettings['security'] });
  useEffect(() => { if (settings.data) form.setFieldsValue(toForm(settings.data)); }, [settings.data, form]);

  const save = async (): Promise<void> => {
    const values = form.getFieldsValue();
    const parsed = CentreSettings.safeParse({
      ...values, url: values.url ? values.url : null, policyFeedUrl: values.policyFeedUrl ? values.policyFeedUrl : null,
      security: values.security ? values.security : null, paasId: values.paasId ? values.paasId : null,
      ledgerUrl: values.ledgerUrl ? values.ledgerUrl : null, tillId: values.tillId ? values.tillId : null,
      ledgerSeat: values.ledgerSeat ? values.ledgerSeat : null,
      oauth: values.oauth?.clientId || values.oauth?.username ? { clientId: values.oauth.clientId ?? '', username: values.oauth.username ?? '', scope: values.oauth.scope ?? '' } : null,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setError(inputError(String(issue.path[0] ?? 'url'), issue.message));
      return;
    }
    try {
      form.setFieldsValue(toForm(await api.saveCentreSettings(parsed.data)));
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
        <Form.Item name="edition" label={zh.technician.edition}>
          <Select data-testid="centre-edition" options={(editions.data ?? []).map((e) => ({ value: e.id, label: e.name }))} />
        </Form.Item>
        <Form.Item name="security" label={zh.technician.security}>
          <Select data-testid="centre-security" options={[
            { value: '', label: zh.technician.securityOfEdition(edition?.security ?? 'plain') },
            ...(edition?.modes ?? []).map((m) => ({ value: m, label: zh.technician.securityLabel(m) })),
          ]} />
        </Form.Item>
        <Form.Item name="paasId" label={zh.technician.paasId}><Input data-testid="centre-paas-id" /></Form.Item>
        {edition?.oauth && (
          <>
            <Form.Item name={['oauth', 'clientId']} label={zh.technician.oauthClientId}><Input data-testid="centre-oauth-client" /></Form.Item>
            <Form.Item name={['oauth', 'username']} label={zh.technician.oauthUsername}><Input data-testid="centre-oauth-user" /></Form.Item>
            <Form.Item name={['oauth', 'scope']} label={zh.technician.oauthScope}><Input data-testid="centre-oauth-scope" /></Form.Item>
          </>
        )}
        <Form.Item name="timeoutMs" label={zh.technician.timeoutMs}><InputNumber min={1000} max={120000} step={1000} style={{ width: 160 }} /></Form.Item>
        <Form.Item name="policyFeedUrl" label={zh.technician.policyFeedUrl}><Input disabled={mode === 'sandbox'} placeholder="https://" /></Form.Item>
        <Form.Item name="ledgerUrl" label={zh.technician.ledgerUrl} extra={zh.technician.ledgerHint}><Input placeholder="postgres://用户@主机:5432/数据库" data-testid="centre-ledger-url" /></Form.Item>
        <Form.Item name="tillId" label={zh.technician.tillId}><Input placeholder="T1" maxLength={3} style={{ width: 120 }} data-testid="centre-till-id" /></Form.Item>
        <Form.Item name="ledgerSeat" label={zh.technician.ledgerSeat}>
          <Select data-testid="centre-ledger-seat" options={[{ value: 'till', label: zh.technician.ledgerSeatTill }, { value: 'headoffice', label: zh.technician.ledgerSeatHeadOffice }]} placeholder={zh.technician.ledgerSeatTill} allowClear />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="save-centre">{zh.save}</Button>{' '}
        <Button onClick={() => void runTest()} data-testid="centre-test">{zh.technician.centreTest}</Button>
      </Form>
      {test && <Alert type={test.ok ? 'success' : 'error'} showIcon title={test.text} data-testid="centre-test-result" style={{ marginTop: 12 }} />}
      {edition && edition.notes.length > 0 && (
        <Alert type="warning" showIcon style={{ marginTop: 12 }} data-testid="centre-edition-notes" title={<ul style={{ margin: 0, paddingLeft: 16 }}>{edition.notes.map((n) => <li key={n}>{n}</li>)}</ul>} />
      )}
      <Card size="small" title={zh.technician.editionImportTitle} style={{ marginTop: 12 }} data-testid="centre-edition-import">
        <Input.TextArea rows={3} value={profileText} onChange={(e) => setProfileText(e.target.value)} data-testid="edition-json" />
        <Button style={{ marginTop: 8 }} disabled={!profileText.trim()} onClick={() => void importEdition()} data-testid="edition-import">{zh.technician.editionImport}</Button>
      </Card>
      <Card size="small" title={zh.technician.secretsTitle} style={{ marginTop: 12 }} data-testid="centre-secrets">
        {CENTRE_SECRET_NAMES.map((name) => (
          <Space key={name} style={{ display: 'flex', marginBottom: 8 }}>
            <span style={{ display: 'inline-block', width: 240 }}>{zh.technician.secretNames[name]}</span>
            <Tag color={storedNow[name] ? 'green' : 'default'} data-testid={`secret-state-${name}`}>{storedNow[name] ? zh.technician.secretStored : zh.technician.secretMissing}</Tag>
            <Input.Password value={secretValues[name] ?? ''} onChange={(e) => setSecretValues((v) => ({ ...v, [name]: e.target.value }))} autoComplete="off" style={{ width: 220 }} data-testid={`secret-${name}`} />
            <Button onClick={() => void saveSecret(name)} disabled={!secretValues[name]} data-testid={`secret-save-${name}`}>{zh.technician.secretSave}</Button>
          </Space>
        ))}
      </Card>
    </Card>
  );
}
