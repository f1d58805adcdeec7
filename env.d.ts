/* eslint-disable @typescript-eslint/triple-slash-reference -- Remix's own type references */
/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce?: string;
    clientIp?: string;
  }
  // Loader and action data is typed as single fetch serialises it (turbo-stream, not JSON).
  interface Future {
    v3_singleFetch: true;
  }
}

// sodium-native has crypto_scalarmult_base; its type package leaves it out.
declare module "sodium-native" {
  /** Writes the X25519 public key (`q`, 32 bytes) of the private key `n` (32 bytes). */
  export function crypto_scalarmult_base(q: Buffer, n: Buffer): void;
}
