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
