// The reader bench: serial ports on this computer, this terminal's reader settings, and a self-test
// that reads a card and lists every frame exchanged, timestamped, in hex.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Select, Space, Table, Tag } from 'antd';
import { type z } from 'zod';
import { type FrameTrace, type PortView, ReaderSettings, type SelfTestResult, SUPPORTED_BAUDS } from '../../../../core/contracts/technician';
import { api, type ApiError, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TrainingCardPicker } from '../../components/TrainingCardPicker';
import { useLive } from '../../live';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

type Port = z.infer<typeof PortView>;
type Frame = z.infer<typeof FrameTrace>;

export function ReaderPage(): React.JSX.Element {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 12 }}>
        <PortsCard />
        <SettingsCard />
      </div>
      <SelfTestCard />
    </Space>
  );
}

function PortsCard(): React.JSX.Element {
  const ports = useLoad(() => api.ports());
  return (
    <Card size="small" title={zh.technician.portsTitle} extra={<Button size="small" onClick={() => void ports.reload()}>{zh.refresh}</Button>} data-testid="ports">
      <ErrorNotice error={ports.error} />
      {ports.data?.fallback && <Alert type="info" showIcon style={{ marginBottom: 8 }} data-testid="ports-fallback" message={zh.technician.portsFallback(ports.data.fallback)} />}
      <Table<Port>
        size="small" rowKey="path" loading={ports.loading} dataSource={ports.data?.ports ?? []} pagination={false}
        locale={{ emptyText: zh.technician.noPorts }}
        columns={[
          { title: zh.technician.portPath, dataIndex: 'path', render: (p: string) => <span className="mono">{p}</span> },
          { title: zh.technician.manufacturer, dataIndex: 'manufacturer', render: (m: string | null) => m ?? zh.none },
          { title: zh.technician.vendorProduct, key: 'vidpid', render: (_, p) => (p.vendorId ? `${p.vendorId}:${p.productId ?? ''}` : zh.none) },
        ]}
      />
    </Card>
  );
}

type SettingsForm = { model: ReaderSettings['model']; port?: string; baud?: number };

function SettingsCard(): React.JSX.Element {
  const settings = useLoad(() => api.readerSettings());
  const ports = useLoad(() => api.ports());
  const [form] = Form.useForm<SettingsForm>();
  const [error, setError] = useState<ApiError | null>(null);
  const { message } = App.useApp();
  const model = Form.useWatch('model', form);
  useEffect(() => { if (settings.data) form.setFieldsValue(settings.data); }, [settings.data, form]);

  const save = async (): Promise<void> => {
    const values = form.getFieldsValue();
    const parsed = ReaderSettings.safeParse(values.model === 'virtual' ? { model: 'virtual' } : { model: values.model, port: values.port ?? '', baud: values.baud });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setError(inputError(String(issue.path[0] ?? 'port'), issue.message));
      return;
    }
    try {
      form.setFieldsValue(await api.saveReaderSettings(parsed.data));
      setError(null);
      void message.success(zh.saved);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <Card size="small" title={zh.technician.settingsTitle} data-testid="reader-settings">
      <ErrorNotice error={settings.error ?? error} onClose={() => setError(null)} />
      <Form form={form} layout="horizontal" labelCol={{ span: 6 }} initialValues={{ baud: 9600 }} onFinish={() => void save()}>
        <Form.Item name="model" label={zh.technician.model}>
          <Select data-testid="reader-model" options={[{ value: 'reference-serial', label: zh.technician.modelSerial }, { value: 'virtual', label: zh.technician.modelVirtual }]} />
        </Form.Item>
        {model !== 'virtual' && (
          <>
            <Form.Item name="port" label={zh.technician.port}>
              <Select allowClear options={(ports.data?.ports ?? []).map((p) => ({ value: p.path, label: p.path }))} />
            </Form.Item>
            <Form.Item name="baud" label={zh.technician.baud}>
              <Select options={SUPPORTED_BAUDS.map((b) => ({ value: b, label: String(b) }))} />
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" data-testid="save-reader">{zh.save}</Button>
      </Form>
    </Card>
  );
}

function SelfTestCard(): React.JSX.Element {
  const { status } = useLive();
  const [result, setResult] = useState<SelfTestResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.selfTest());
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      title={zh.technician.selfTestTitle}
      data-testid="self-test"
      extra={<Button type="primary" loading={busy} onClick={() => void run()} data-testid="run-self-test">{zh.technician.selfTest}</Button>}
    >
      <ErrorNotice error={error} />
      {!result && <Alert type="info" showIcon title={zh.technician.selfTestHint} />}
      {status?.training.virtualReader && <TrainingCardPicker />}
      {result && (
        <>
          <Space wrap style={{ marginBottom: 8 }}>
            <Tag color={result.ok ? 'green' : 'red'} data-testid="self-test-verdict">{result.ok ? zh.technician.selfTestOk : zh.technician.selfTestFailed}</Tag>
            <span>{zh.technician.duration(result.durationMs)}</span>
            {result.atr && <span>{zh.technician.atr} <span className="mono">{result.atr}</span></span>}
            {result.firmware && <span>{zh.technician.firmware} {result.firmware}</span>}
          </Space>
          {result.error && <Alert type="error" showIcon title={result.error.message} description={result.error.code} style={{ marginBottom: 8 }} />}
          {result.holder && (
            <Descriptions
              size="small" column={3} style={{ marginBottom: 8 }}
              items={[
                { key: 'name', label: zh.technician.holderName, children: <span data-testid="self-test-holder">{result.holder.name}</span> },
                { key: 'card', label: zh.technician.cardNo, children: <span className="mono">{result.holder.cardNo}</span> },
                { key: 'ssn', label: zh.technician.ssn, children: <span className="mono">{result.holder.ssnMasked}</span> },
                { key: 'region', label: zh.checkout.region, children: result.holder.region },
                { key: 'type', label: zh.technician.cardType, children: result.holder.cardType },
                { key: 'version', label: zh.technician.cardVersion, children: result.holder.version },
              ]}
            />
          )}
          <Table<Frame & { key: number }>
            className="frames-table" size="small" dataSource={result.frames.map((f, key) => ({ ...f, key }))} pagination={false}
            data-testid="frames" scroll={{ y: 300 }}
            columns={[
              { title: zh.technician.frameT, dataIndex: 't', width: 100, align: 'right', render: (t: number) => t.toFixed(1) },
              { title: zh.technician.frameDir, dataIndex: 'dir', width: 70, render: (d: 'tx' | 'rx') => <Tag color={d === 'tx' ? 'blue' : 'green'}>{d === 'tx' ? zh.technician.tx : zh.technician.rx}</Tag> },
              { title: zh.technician.frameHex, dataIndex: 'hex', render: (h: string) => <span className="mono frame-hex">{h}</span> },
              { title: zh.technician.frameNote, dataIndex: 'note', width: 220, render: (n: string | null) => n ?? '' },
            ]}
          />
        </>
      )}
    </Card>
  );
}
