// The manager's store settings (PUT /api/store-settings): the offline risk limits, how long an
// external prescription may be filled, the sync's parallel uploads and the 开方医师姓名 for the 3505
// rows of sales without a prescription. The backend validates; its refusal names the field.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Space, Typography } from 'antd';
import { type z } from 'zod';
import { type StoreSettings } from '../../../../core/contracts/checkout';
import { api, ApiError, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

type Settings = z.infer<typeof StoreSettings>;

interface Draft {
  perSaleFund: string; perDayFund: string; perPersonSalesPerDay: number | null; maxPersonDataAgeDays: number | null;
  rxDefault: number | null; rxByRegion: string; syncConcurrency: number | null; otcPrescriberName: string;
}

function toDraft(s: Settings): Draft {
  return {
    perSaleFund: s.riskLimits.perSaleFund, perDayFund: s.riskLimits.perDayFund,
    perPersonSalesPerDay: s.riskLimits.perPersonSalesPerDay, maxPersonDataAgeDays: s.riskLimits.maxPersonDataAgeDays,
    rxDefault: s.rxValidityDays.default,
    rxByRegion: Object.entries(s.rxValidityDays.byRegion).map(([region, days]) => `${region}=${days}`).join('\n'),
    syncConcurrency: s.syncConcurrency ?? null, otcPrescriberName: s.otcPrescriberName ?? '',
  };
}

/** "420300=5" per line → { "420300": 5 }; a line that is not region=days is refused naming the field. */
function parseByRegion(text: string): Record<string, number> | ApiError {
  const out: Record<string, number> = {};
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^(\d{6})\s*[=＝:：]\s*(\d{1,2})$/.exec(line);
    if (!m) return inputError('rxValidityDays.byRegion', zh.fieldHint('rxValidityDays.byRegion') ?? line);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

function fromDraft(d: Draft): z.input<typeof StoreSettings> | ApiError {
  const byRegion = parseByRegion(d.rxByRegion);
  if (byRegion instanceof ApiError) return byRegion;
  const otc = d.otcPrescriberName.trim();
  return {
    riskLimits: {
      perSaleFund: d.perSaleFund.trim(), perDayFund: d.perDayFund.trim(),
      perPersonSalesPerDay: d.perPersonSalesPerDay ?? -1, maxPersonDataAgeDays: d.maxPersonDataAgeDays ?? -1,
    },
    rxValidityDays: { default: d.rxDefault ?? 0, byRegion },
    ...(d.syncConcurrency !== null && { syncConcurrency: d.syncConcurrency }),
    ...(otc && { otcPrescriberName: otc }),
  };
}

export function StoreSettingsPage(): React.JSX.Element {
  const loaded = useLoad(() => api.storeSettings());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (loaded.data) setDraft(toDraft(loaded.data)); }, [loaded.data]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => { setDraft((d) => (d ? { ...d, [key]: value } : d)); setSaved(false); };

  const save = async (): Promise<void> => {
    if (!draft) return;
    const body = fromDraft(draft);
    if (body instanceof ApiError) { setError(body); return; }
    try {
      setDraft(toDraft(await api.saveStoreSettings(body)));
      setError(null);
      setSaved(true);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <Card title={zh.storeSettings.title} data-testid="store-settings" loading={!draft && !loaded.error}>
      <ErrorNotice error={loaded.error ?? error} onClose={() => setError(null)} />
      {saved && <Alert type="success" showIcon title={zh.storeSettings.saved} style={{ marginBottom: 12 }} data-testid="store-settings-saved" />}
      {draft && (
        <Form layout="vertical" style={{ maxWidth: 560 }}>
          <Typography.Title level={5}>{zh.storeSettings.riskTitle}</Typography.Title>
          <Space wrap>
            <Form.Item label={zh.storeSettings.perSaleFund}><Input value={draft.perSaleFund} onChange={(e) => set('perSaleFund', e.target.value)} data-testid="setting-perSaleFund" /></Form.Item>
            <Form.Item label={zh.storeSettings.perDayFund}><Input value={draft.perDayFund} onChange={(e) => set('perDayFund', e.target.value)} data-testid="setting-perDayFund" /></Form.Item>
            <Form.Item label={zh.storeSettings.perPersonSalesPerDay}><InputNumber min={0} max={20} precision={0} value={draft.perPersonSalesPerDay} onChange={(v) => set('perPersonSalesPerDay', v)} data-testid="setting-perPersonSalesPerDay" /></Form.Item>
            <Form.Item label={zh.storeSettings.maxPersonDataAgeDays}><InputNumber min={0} max={365} precision={0} value={draft.maxPersonDataAgeDays} onChange={(v) => set('maxPersonDataAgeDays', v)} data-testid="setting-maxPersonDataAgeDays" /></Form.Item>
          </Space>
          <Typography.Title level={5}>{zh.storeSettings.rxTitle}</Typography.Title>
          <Form.Item label={zh.storeSettings.rxDefault}><InputNumber min={1} max={30} precision={0} value={draft.rxDefault} onChange={(v) => set('rxDefault', v)} data-testid="setting-rxDefault" /></Form.Item>
          <Form.Item label={zh.storeSettings.rxByRegion}><Input.TextArea rows={3} value={draft.rxByRegion} onChange={(e) => set('rxByRegion', e.target.value)} data-testid="setting-rxByRegion" /></Form.Item>
          <Typography.Title level={5}>{zh.storeSettings.syncTitle}</Typography.Title>
          <Form.Item label={zh.storeSettings.syncConcurrency}><InputNumber min={1} max={16} precision={0} value={draft.syncConcurrency} onChange={(v) => set('syncConcurrency', v)} data-testid="setting-syncConcurrency" /></Form.Item>
          <Typography.Title level={5}>{zh.storeSettings.otcTitle}</Typography.Title>
          <Typography.Paragraph type="secondary">{zh.storeSettings.otcHelp}</Typography.Paragraph>
          <Form.Item label={zh.storeSettings.otcPrescriberName}><Input value={draft.otcPrescriberName} maxLength={50} onChange={(e) => set('otcPrescriberName', e.target.value)} data-testid="setting-otcPrescriberName" /></Form.Item>
          <Button type="primary" onClick={() => void save()} data-testid="store-settings-save">{zh.save}</Button>
        </Form>
      )}
    </Card>
  );
}
