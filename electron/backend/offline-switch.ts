// Training mode's "network cable": a centre transport that, when switched off, answers every call
// as not delivered, exactly as a till with no network sees it. Only the training endpoint uses it.
import { type CentreTransport, type TransportRequest, type TransportResult } from '../../core/centre/port';

export class OfflineSwitch implements CentreTransport {
  private offline = false;

  constructor(private readonly inner: CentreTransport) {}

  setOffline(offline: boolean): void {
    this.offline = offline;
  }

  isOffline(): boolean {
    return this.offline;
  }

  async send(request: TransportRequest): Promise<TransportResult> {
    if (this.offline) return { kind: 'not_delivered', reason: 'training: the network to the centre is switched off' };
    return this.inner.send(request);
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
