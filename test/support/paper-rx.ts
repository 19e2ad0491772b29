// A paper external prescription as the settle messages carry it: its prescriber, whose training
// 医保医师代码 tells the sandbox centre the issuing institution (core/policy/training-doctors.ts).
import { trainingDoctorCode } from '../../core/policy/training-doctors';

export function paperRx(issuerCode: string | null): { prescriber: string; prescriberCode: string } | null {
  return issuerCode === null ? null : { prescriber: '王医生', prescriberCode: trainingDoctorCode(issuerCode) };
}
