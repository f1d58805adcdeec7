import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATABASE_URL = "tests/.tmp/e2e.db";

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command:
      `rm -f ${DATABASE_URL} ${DATABASE_URL}-wal ${DATABASE_URL}-shm && npx tsx scripts/db-setup.ts && node ` +
      `scripts/server.mjs`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATABASE_URL,
      NODE_ENV: "test",
      SIGN_IN_MAX_FAILURES_PER_IP: "100",
      ATTACHMENTS_DIR: "tests/.tmp/attachments",
      // Mail goes to tests/e2e/mailbox.ts where a spec opens it (token links are never stored in the outbox).
      SMTP_URL: `smtp://127.0.0.1:${PORT + 1}`,
    },
  },
});
