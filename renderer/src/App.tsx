// The app shell: sign-in, then the signed-in role's workspace with its menu, the training banner
// and the status bar. Pages the role may not open show a refusal instead of their content.
import { useEffect, useState } from 'react';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { type SessionInfo } from '../../core/contracts/auth';
import { api, currentSession, onUnauthorized } from './api';
import { StatusBar, TrainingBanner } from './components/StatusBar';
import { LiveProvider } from './live';
import { Forbidden } from './pages/Forbidden';
import { SignIn } from './pages/SignIn';
import { PageView } from './pages/PageView';
import { homeFor, navigate, pageAt, pagesFor, useHashPath } from './routes';
import { zh } from './strings';

export function App(): React.JSX.Element {
  const [session, setSession] = useState<SessionInfo | null>(currentSession);
  const [notice, setNotice] = useState<string>();

  useEffect(() => onUnauthorized(() => { setSession(null); setNotice(zh.errors.sessionExpired); }), []);
  // A session kept across a reload is checked once; a 401 lands back on sign-in via onUnauthorized.
  useEffect(() => { if (currentSession()) api.whoami().catch(() => undefined); }, []);

  if (!session) {
    return <SignIn notice={notice} onSignedIn={(s) => { setNotice(undefined); setSession(s); navigate(homeFor(s.role)); }} />;
  }
  const signOut = async (): Promise<void> => {
    await api.logout().catch(() => undefined);
    setSession(null);
    navigate('/');
  };
  return (
    <LiveProvider key={session.token}>
      <Workspace session={session} onSignOut={() => void signOut()} />
    </LiveProvider>
  );
}

function Workspace({ session, onSignOut }: { session: SessionInfo; onSignOut: () => void }): React.JSX.Element {
  const path = useHashPath();
  const page = pageAt(path);
  useEffect(() => { if (!page) navigate(homeFor(session.role)); }, [page, session.role]);
  const allowed = page !== undefined && page.roles.includes(session.role);
  return (
    <Layout className="workspace" data-testid={`workspace-${session.role}`}>
      <Layout.Header className="app-header">
        <span className="app-name">{zh.appName}</span>
        <Menu
          theme="dark"
          mode="horizontal"
          className="app-menu"
          selectedKeys={page ? [page.path] : []}
          items={pagesFor(session.role).map((p) => ({ key: p.path, label: <span data-testid={`nav-${p.id}`}>{p.label}</span> }))}
          onClick={({ key }) => navigate(key)}
        />
        <Space className="app-user">
          <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-as">{zh.shell.signedInAs(session.operatorName, session.role)}</Typography.Text>
          <Button size="small" onClick={onSignOut} data-testid="sign-out">{zh.shell.signOut}</Button>
        </Space>
      </Layout.Header>
      <TrainingBanner />
      <Layout.Content className="app-content">
        {page && (allowed ? <PageView id={page.id} /> : <Forbidden role={session.role} />)}
      </Layout.Content>
      <StatusBar />
    </Layout>
  );
}
