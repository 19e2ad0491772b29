import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { App } from './App';
import { shell } from './shell';
import { zh } from './strings';
import './app.css';

const root = createRoot(document.getElementById('root')!);

shell.init().then(
  () => root.render(
    <StrictMode>
      <ConfigProvider
        // No animations: the cashier PC is often slow, and a modal that is still fading in eats keystrokes.
        locale={zhCN}
        theme={{ token: { motion: false, fontSize: 15, colorPrimary: '#1f6fd1', fontFamily: '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif' } }}
      >
        <AntApp>
          <App />
        </AntApp>
      </ConfigProvider>
    </StrictMode>,
  ),
  () => { root.render(<p className="fatal">{zh.errors.network}</p>); },
);
