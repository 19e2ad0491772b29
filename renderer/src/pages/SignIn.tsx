// Sign-in: choose the post (岗位), type the operator id and PIN, Enter. The chosen post must match
// the operator's role, so nobody lands in a workspace they did not expect.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, type InputRef, Segmented, Typography } from 'antd';
import { type SessionInfo } from '../../../core/contracts/auth';
import { type Role } from '../../../core/contracts/common';
import { api, type ApiError } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { asApiError } from '../hooks/useLoad';
import { zh } from '../strings';

const ROLES: Role[] = ['cashier', 'manager', 'technician', 'headoffice'];
const LAST_ROLE = 'ybjs.lastRole';

function lastRole(): Role {
  const saved = localStorage.getItem(LAST_ROLE);
  return ROLES.find((r) => r === saved) ?? 'cashier';
}

export function SignIn({ onSignedIn, notice }: { onSignedIn: (session: SessionInfo) => void; notice?: string }): React.JSX.Element {
  const [role, setRole] = useState<Role>(lastRole);
  const [operatorId, setOperatorId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<InputRef>(null);
  const idRef = useRef<InputRef>(null);
  const [health, setHealth] = useState<{ ok: boolean; version?: string } | null>(null);
  const [mustChange, setMustChange] = useState<{ session: SessionInfo; currentPin: string } | null>(null);
  useEffect(() => { api.health().then((h) => setHealth({ ok: true, version: h.version }), () => setHealth({ ok: false })); }, []);

  const submit = async (): Promise<void> => {
    if (!operatorId.trim()) { setError(asApiError(new Error(zh.signIn.needId))); idRef.current?.focus(); return; }
    if (!/^\d{4,8}$/.test(pin)) { setError(asApiError(new Error(zh.signIn.needPin))); pinRef.current?.focus(); return; }
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(operatorId.trim(), pin);
      if (session.role !== role) {
        await api.logout().catch(() => undefined);
        setError(asApiError(new Error(zh.signIn.wrongRole(session.operatorId, session.role, role))));
        setPin('');
        return;
      }
      localStorage.setItem(LAST_ROLE, role);
      if (session.pinChangeRequired) { setMustChange({ session, currentPin: pin }); return; }
      onSignedIn(session);
    } catch (e) {
      setError(asApiError(e));
      setPin('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  if (mustChange) {
    return <ChangePin currentPin={mustChange.currentPin} onChanged={() => onSignedIn({ ...mustChange.session, pinChangeRequired: false })} />;
  }

  return (
    <div className="sign-in-page">
      <Card className="sign-in-card" title={<span className="sign-in-title">{zh.appName} · {zh.signIn.title}</span>}>
        <Typography.Paragraph type="secondary">{zh.signIn.subtitle}</Typography.Paragraph>
        {notice && <Alert type="warning" showIcon title={notice} style={{ marginBottom: 12 }} data-testid="sign-in-notice" />}
        <ErrorNotice error={error} testId="sign-in-error" />
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item label={zh.signIn.role}>
            <Segmented<Role>
              block
              size="large"
              value={role}
              onChange={setRole}
              options={ROLES.map((r) => ({ value: r, label: <span data-testid={`role-${r}`}>{zh.roleLabel(r)}</span> }))}
            />
          </Form.Item>
          <Form.Item label={zh.signIn.operatorId}>
            <Input
              ref={idRef} size="large" autoFocus data-testid="operator-id" placeholder={zh.signIn.operatorIdPlaceholder}
              value={operatorId} onChange={(e) => setOperatorId(e.target.value)} onPressEnter={(e) => { e.preventDefault(); pinRef.current?.focus(); }}
              autoComplete="username"
            />
          </Form.Item>
          <Form.Item label={zh.signIn.pin}>
            <Input.Password
              ref={pinRef} size="large" data-testid="pin" placeholder={zh.signIn.pinPlaceholder} inputMode="numeric"
              value={pin} onChange={(e) => setPin(e.target.value)} autoComplete="current-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="sign-in">
            {zh.signIn.submit}<kbd className="key-hint">Enter</kbd>
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" className="sign-in-hint">{zh.signIn.trainingHint}</Typography.Paragraph>
        {health && (
          <Typography.Paragraph type={health.ok ? 'secondary' : 'danger'} className="sign-in-hint" data-testid="backend-status">
            {health.ok ? `${zh.backendOk} · ${zh.version} ${health.version}` : zh.backendDown}
          </Typography.Paragraph>
        )}
      </Card>
    </div>
  );
}

/** First sign-in outside training: the operator replaces the PIN someone else chose before going on. */
function ChangePin({ currentPin, onChanged }: { currentPin: string; onChanged: () => void }): React.JSX.Element {
  const [newPin, setNewPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (): Promise<void> => {
    if (!/^\d{4,8}$/.test(newPin)) { setError(asApiError(new Error(zh.signIn.needPin))); return; }
    if (newPin !== again) { setError(asApiError(new Error(zh.signIn.pinsDiffer))); return; }
    setBusy(true);
    setError(null);
    try {
      await api.changePin(currentPin, newPin);
      onChanged();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in-page">
      <Card className="sign-in-card" title={<span className="sign-in-title">{zh.appName} · {zh.signIn.changePinTitle}</span>} data-testid="change-pin">
        <Typography.Paragraph type="secondary">{zh.signIn.changePinHint}</Typography.Paragraph>
        <ErrorNotice error={error} testId="change-pin-error" />
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item label={zh.signIn.newPin}>
            <Input.Password size="large" autoFocus data-testid="new-pin" inputMode="numeric" value={newPin} onChange={(e) => setNewPin(e.target.value)} autoComplete="new-password" />
          </Form.Item>
          <Form.Item label={zh.signIn.newPinAgain}>
            <Input.Password size="large" data-testid="new-pin-again" inputMode="numeric" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="change-pin-submit">
            {zh.signIn.changePinSubmit}<kbd className="key-hint">Enter</kbd>
          </Button>
        </Form>
      </Card>
    </div>
  );
}
