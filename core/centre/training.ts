// The made-up pharmacy the sandbox centre and the tests use (training mode). Not a real institution.
import { type CentreIdentity } from './envelope';

export const TRAINING_IDENTITY: CentreIdentity = {
  fixmedinsCode: 'P42030200001',
  fixmedinsName: '【培训】示例定点零售药店',
  mdtrtareaAdmvs: '420302',
  opterType: '1',
  opter: 'TRAIN01',
  opterName: '培训收银员',
};

export const TRAINING_TERMINAL = { mac: '02-00-00-00-00-01', ip: '127.0.0.1' } as const;
