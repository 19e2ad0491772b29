// Maps a page id to its component.
import { type PageId } from '../routes';
import { Checkout } from './cashier/Checkout';
import { TodaySales } from './cashier/TodaySales';
import { Charts } from './manager/Charts';
import { DayClose } from './manager/DayClose';
import { Discrepancies } from './manager/Discrepancies';
import { Operators } from './manager/Operators';
import { PosTokens } from './manager/PosTokens';
import { SalesList } from './manager/SalesList';
import { StoreSettingsPage } from './manager/StoreSettings';
import { TraceReports } from './manager/TraceReports';
import { HeadOffice } from './headoffice/HeadOffice';
import { CentrePage } from './technician/CentrePage';
import { MappingsPage } from './technician/MappingsPage';
import { PoliciesPage } from './technician/PoliciesPage';
import { ReaderPage } from './technician/ReaderPage';

export function PageView({ id }: { id: PageId }): React.JSX.Element {
  switch (id) {
    case 'checkout': return <Checkout />;
    case 'today': return <TodaySales />;
    case 'sales': return <SalesList />;
    case 'operators': return <Operators />;
    case 'posTokens': return <PosTokens />;
    case 'storeSettings': return <StoreSettingsPage />;
    case 'reader': return <ReaderPage />;
    case 'mappings': return <MappingsPage />;
    case 'policies': return <PoliciesPage />;
    case 'centre': return <CentrePage />;
    case 'dayClose': return <DayClose />;
    case 'discrepancies': return <Discrepancies />;
    case 'charts': return <Charts />;
    case 'traceReports': return <TraceReports />;
    case 'headOffice': return <HeadOffice />;
  }
}
