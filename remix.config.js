/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    // Off: every page would otherwise compute its partial route manifest on the server (matching every
    // route for each segment of its path), a large share of a page's server time; the full manifest is
    // one static, cached file instead.
    v3_lazyRouteDiscovery: false,
  },
};
