// ⚠ TRAINING KEY — NOT A SECRET, NOT FOR PRODUCTION. ⚠
// The private half of the "ybjs-training-2025" key pair, used only by the sandbox centre to sign the
// policy packages it publishes, so the update path can be trained and tested end to end. Anyone can
// read it here, so a package signed with it proves nothing outside training. Only the sandbox
// (native/sandbox/) may import this file; the app trusts the public half (native/policy-update/keys.ts)
// until a release replaces it with the vendor's production key.
import { TRAINING_KEY_ID } from '../policy-update/keys';

export const SANDBOX_SIGNING_KEY_ID = TRAINING_KEY_ID;

export const TRAINING_PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKJFvVJ25q6xz7xirnCI2jUd5NSMeVFC1eJ5Tp22FZX2
-----END PRIVATE KEY-----
`;
