// A minimal ECharts host: one chart instance per element, resized with its container. Only the
// parts the manager's charts use are bundled (bar charts, axes, legend, tooltip, the SVG renderer).
import { useEffect, useRef } from 'react';
import { type EChartsOption } from 'echarts';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export function EChart({ option, height = 320, testId }: { option: EChartsOption; height?: number; testId?: string }): React.JSX.Element {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.EChartsType | null>(null);
  useEffect(() => {
    const el = element.current!;
    // SVG renders CJK labels with the page's fonts and keeps the CSP free of canvas workarounds.
    chart.current = echarts.init(el, undefined, { renderer: 'svg' });
    const observer = new ResizeObserver(() => chart.current?.resize());
    observer.observe(el);
    return () => { observer.disconnect(); chart.current?.dispose(); chart.current = null; };
  }, []);
  useEffect(() => { chart.current?.setOption(option, true); }, [option]);
  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} />;
}
