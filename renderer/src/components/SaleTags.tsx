// The state of a sale as a coloured tag; 暂估 stands out until the centre confirms.
import { Tag } from 'antd';
import { type SaleView } from '../../../core/contracts/checkout';
import { zh } from '../strings';

const COLOURS: Record<string, string> = {
  open: 'default', presettled: 'blue', settled: 'green', provisional: 'orange', selfpay: 'purple', refunded: 'default', cancelled: 'default',
};

export function SaleStateTag({ sale }: { sale: Pick<SaleView, 'state' | 'provisional' | 'centre'> }): React.JSX.Element {
  return (
    <span data-testid="sale-state">
      <Tag color={COLOURS[sale.state] ?? 'default'}>{zh.states[sale.state] ?? sale.state}</Tag>
      {sale.provisional && sale.state !== 'provisional' && <ProvisionalTag />}
      {sale.provisional && sale.centre && <Tag color="green">{zh.checkout.centreConfirmed}</Tag>}
    </span>
  );
}

/**
 * 暂估: a settlement the centre has not confirmed, or an offline pre-settlement (priced by the local
 * engine, online=false). The backend says which; this only reads its flags.
 */
export function isProvisional(sale: Pick<SaleView, 'state' | 'provisional' | 'online' | 'split'>): boolean {
  return sale.provisional || (sale.split !== null && !sale.online && (sale.state === 'open' || sale.state === 'presettled'));
}

export function ProvisionalTag(): React.JSX.Element {
  return <Tag color="orange" className="provisional-tag" data-testid="provisional-tag">{zh.checkout.provisional}</Tag>;
}
