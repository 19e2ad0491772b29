// The tray icon is the app's status light: the window can be closed while the backend keeps
// serving the POS, so the icon, its tooltip and its menu say whether the backend is up.
import { type MenuItemConstructorOptions } from 'electron';
import { type BackendStatusView } from './bridge-contract';

export type TrayIconName = 'tray-ok' | 'tray-busy' | 'tray-down';

export function trayIconFor(status: BackendStatusView): TrayIconName {
  if (status.state === 'ready') return 'tray-ok';
  if (status.state === 'starting' || status.state === 'restarting') return 'tray-busy';
  return 'tray-down';
}

export function statusLabel(status: BackendStatusView): string {
  switch (status.state) {
    case 'ready': return '后台服务正常';
    case 'starting': return '后台服务正在启动…';
    case 'restarting': return `后台服务异常，${Math.ceil((status.restartInMs ?? 0) / 1000)} 秒后重启`;
    case 'failed': return '后台服务已停止（多次异常）';
    case 'stopped': return '后台服务未运行';
  }
}

export function trayTooltip(status: BackendStatusView): string {
  return `医保结算助手 · ${statusLabel(status)}`;
}

export interface TrayActions {
  showWindow(): void;
  restartBackend(): void;
  setAutoStart(enabled: boolean): void;
  quit(): void;
}

export function trayMenuTemplate(
  status: BackendStatusView,
  autoStart: { readonly supported: boolean; readonly enabled: boolean },
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  return [
    { label: statusLabel(status), enabled: false },
    { type: 'separator' },
    { label: '打开主窗口', click: () => actions.showWindow() },
    { label: '重启后台服务', enabled: status.state !== 'starting', click: () => actions.restartBackend() },
    {
      label: '开机自动启动',
      type: 'checkbox',
      checked: autoStart.enabled,
      enabled: autoStart.supported,
      click: (item) => actions.setAutoStart(item.checked),
    },
    { type: 'separator' },
    { label: '退出（POS 将无法结算）', click: () => actions.quit() },
  ];
}
