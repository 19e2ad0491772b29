// Charts of the day and the month: fund vs account vs cash, confirmed vs provisional, from the
// backend's chart data (amounts are converted to numbers only to be drawn).
import { useMemo, useState } from 'react';
import { App, Button, Card, Input, Select, Space } from 'antd';
import { type EChartsOption } from 'echarts';
import { type DayChart, type MonthChart } from '../../../../core/contracts/reconciliation';
import { api, type ApiError } from '../../api';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { useLive } from '../../live';
import { shell } from '../../shell';
import { zh } from '../../strings';
import { StoreScopeTag, useStoreScope } from './StoreScope';

const PARTS = ['fund', 'account', 'cash'] as const;
const COLOURS = { fund: '#1f6fd1', account: '#13a8a8', cash: '#fa8c16' };
const LIGHT = { fund: '#91caff', account: '#87e8de', cash: '#ffd591' };
const partLabel = (p: (typeof PARTS)[number]): string => zh.recon[p];
const drawn = (amount: string): number => Number(amount);

/** The twelve months up to the given one, newest first ("2026-11", "2026-10", …). */
function recentMonths(latest: string): string[] {
  const [y, m] = latest.split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => {
    const index = y * 12 + (m - 1) - i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

function dayOption(chart: DayChart): EChartsOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: PARTS.map(partLabel) },
    yAxis: { type: 'value', name: zh.recon.yuanAxis },
    series: (['confirmed', 'provisional'] as const).map((status) => ({
      name: zh.recon[status], type: 'bar', stack: 'day',
      itemStyle: { color: status === 'confirmed' ? '#1f6fd1' : '#ffc53d' },
      data: PARTS.map((p) => drawn(chart.parts[status][p])),
    })),
  };
}

function monthOption(chart: MonthChart): EChartsOption {
  const days = chart.days.map((d) => d.date.slice(8));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemGap: 28 },
    grid: { left: 60, right: 20, top: 50, bottom: 30 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', name: zh.recon.yuanAxis },
    series: (['confirmed', 'provisional'] as const).flatMap((status) => PARTS.map((p) => ({
      name: `${partLabel(p)}·${zh.recon[status]}`, type: 'bar' as const, stack: status,
      itemStyle: { color: status === 'confirmed' ? COLOURS[p] : LIGHT[p] },
      data: chart.days.map((d) => drawn(d.parts[status][p])),
    }))),
  };
}

export function Charts(): React.JSX.Element {
  const { status } = useLive();
  const [pickedDate, setPickedDate] = useState('');
  const [pickedMonth, setPickedMonth] = useState('');
  const date = pickedDate || status?.businessDate || '';
  const month = pickedMonth || date.slice(0, 7);
  const scope = useStoreScope();
  const day = useLoad(() => (date ? (scope.store ? api.storeDayChart(date) : api.dayChart(date)) : Promise.resolve(undefined)), [date, scope.store]);
  const monthly = useLoad(() => (month ? (scope.store ? api.storeMonthChart(month) : api.monthChart(month)) : Promise.resolve(undefined)), [month, scope.store]);
  const dayChart = useMemo(() => (day.data ? dayOption(day.data) : null), [day.data]);
  const monthChart = useMemo(() => (monthly.data ? monthOption(monthly.data) : null), [monthly.data]);
  const [error, setError] = useState<ApiError | null>(null);
  const { message } = App.useApp();

  const exportMonth = async (format: 'xlsx' | 'csv'): Promise<void> => {
    const days = monthly.data?.days ?? [];
    if (days.length === 0) return;
    try {
      const file = await (scope.store ? api.storeExportFile : api.exportFile)(days[0]!.date, days[days.length - 1]!.date, format);
      if ((await shell.saveFile(file.name, file.blob)).saved) void message.success(zh.recon.exported(file.name));
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="charts">
      {scope.store && <StoreScopeTag tills={scope.tills} />}
      <ErrorNotice error={day.error ?? monthly.error ?? error} onClose={() => setError(null)} />
      <Card
        size="small"
        title={zh.recon.dayChart(date)}
        extra={<Input type="date" value={date} onChange={(e) => setPickedDate(e.target.value)} style={{ width: 160 }} />}
      >
        {dayChart && <EChart option={dayChart} height={240} testId="day-chart" />}
      </Card>
      <Card
        size="small"
        title={zh.recon.monthChart(month)}
        extra={(
          <Space>
            <Select<string>
              style={{ width: 120 }} value={month} onChange={setPickedMonth} aria-label={zh.recon.month}
              options={(date ? recentMonths(date.slice(0, 7)) : []).map((m) => ({ value: m, label: m }))}
            />
            <Button onClick={() => void exportMonth('xlsx')} data-testid="export-month-xlsx">{zh.recon.exportMonth} Excel</Button>
            <Button onClick={() => void exportMonth('csv')}>{zh.recon.exportMonth} CSV</Button>
          </Space>
        )}
      >
        {monthChart && <EChart option={monthChart} height={300} testId="month-chart" />}
      </Card>
    </Space>
  );
}
