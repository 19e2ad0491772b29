// Public keys that may sign policy packages, by key id. They ship with the app.
//
// TRAINING KEY: "ybjs-training-2025" is the sandbox centre's key pair; its private half lives only in
// native/sandbox/training-signing-key.ts. A release for real pharmacies must replace it with the
// vendor's production key (and drop the training key) — see docs/centre-and-sync.md.
export const TRAINING_KEY_ID = 'ybjs-training-2025';

export const TRAINING_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEANhFX3d1ZyiQ9jq6ZUf9zj86xKBGz1zwMQD4PL1Zas8Y=
-----END PUBLIC KEY-----
`;

export const TRUSTED_POLICY_KEYS: Readonly<Record<string, string>> = {
  [TRAINING_KEY_ID]: TRAINING_PUBLIC_KEY_PEM,
};
