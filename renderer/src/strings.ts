// Every user-facing string, Simplified Chinese by default, in one place.
export const zh = {
  appName: '医保结算助手',
  backendOk: '后台服务正常',
  backendDown: '无法连接后台服务，请确认 npm run serve 或桌面程序正在运行',
  version: '版本',
  loading: '正在连接后台服务…',
} as const;
