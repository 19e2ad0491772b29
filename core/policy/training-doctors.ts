// Training 医保医师代码 (national insurance doctor codes), one per training institution.
//
// Why a doctor code: no public edition of 2101/2102 has a field for the institution that issued a paper
// external prescription, but every one has the prescribing doctor's code on each line
// (drugdetail.bilg_dr_codg 开单医生编码, S5). The national 医保医师代码 (char 20, e.g. the e-prescription
// upload's `drCode` 开方医保医师代码 "国家医保医师代码" in a Newtouch HIS procedure,
// usp_ElectronicPrescription_D001_Prescription_mdtrtData) is registered with the institution the doctor
// practises at, so a centre can tell the issuer from it. That a real centre prices the pooled fund
// from it is [U]; our sandbox does, and refuses a code it does not know.
//
// Training codes: DR-<institution code without its TRAIN- prefix>, e.g. DR-H360102-L1 for
// TRAIN-H360102-L1 (17 characters at most, within the 20 the code allows).

const PREFIX = 'DR-';
const INSTITUTION_PREFIX = 'TRAIN-';

/** The training doctor who practises at a training institution. */
export function trainingDoctorCode(institutionCode: string): string {
  if (!institutionCode.startsWith(INSTITUTION_PREFIX)) throw new Error(`not a training institution: ${institutionCode}`);
  return `${PREFIX}${institutionCode.slice(INSTITUTION_PREFIX.length)}`;
}

/** The training institution a training doctor code belongs to, or null for any other code. */
export function institutionOfTrainingDoctor(doctorCode: string): string | null {
  return doctorCode.startsWith(PREFIX) && doctorCode.length > PREFIX.length ? `${INSTITUTION_PREFIX}${doctorCode.slice(PREFIX.length)}` : null;
}
