/**
 * Galata configuration: JupyterLab's defaults, with Debian's chromium (Playwright cannot download browsers
 * here) and no artefacts that need downloads (video needs Playwright's own ffmpeg).
 */
const { execSync } = require('child_process');
const { randomUUID } = require('crypto');
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Another port lets a second JupyterLab run the tests beside one already on 8888.
const port = process.env.SENTINEL_LAB_PORT || '8888';
// The emulator of the Azure APIs (testing/azure-emulator, built by `jlpm build:emulator`) serves the
// demo data set over HTTPS.
const emulatorPort = process.env.SENTINEL_EMULATOR_PORT || '8943';
const demo = path.join(
  execSync('jupyter --data-dir').toString().trim(),
  'sentinel',
  'demo'
);

// With SENTINEL_SPARK set (make ui-test sets it when Java is here), a local Spark Connect server with
// the demo loaded (spark_server.py) serves the Spark workspace "Lake" of spark.spec.ts, and a second
// workspace points at a port nothing listens on. The list reaches the Jupyter server's configuration
// (jupyter_server_test_config.py) and its kernels through the environment; the token is made here,
// once (workers inherit it), and never written to a file.
const spark = !!process.env.SENTINEL_SPARK;
const sparkPort = Number(process.env.SENTINEL_SPARK_PORT || '15002');
if (spark && !process.env.SENTINEL_SPARK_WORKSPACES) {
  process.env.SPARK_CONNECT_AUTHENTICATE_TOKEN = randomUUID();
  const remote = port =>
    `sc://localhost:${port}/;token=${process.env.SPARK_CONNECT_AUTHENTICATE_TOKEN}`;
  process.env.SENTINEL_SPARK_WORKSPACES = JSON.stringify([
    { name: 'Lake', remote: remote(sparkPort), database: 'demo' },
    { name: 'Lake offline', remote: remote(sparkPort + 2), database: 'demo' }
  ]);
}

module.exports = {
  ...baseConfig,
  reporter: [['list']],
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 120 * 1000,
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-dev-shm-usage'
      ]
    }
  },
  webServer: [
    // First: JupyterLab starts once the Spark tables are loaded.
    ...(spark
      ? [
          {
            command: `python spark_server.py --port ${sparkPort} --ready-port ${sparkPort + 1}`,
            url: `http://localhost:${sparkPort + 1}/`,
            timeout: 300 * 1000,
            reuseExistingServer: !process.env.CI,
            stdout: 'pipe'
          }
        ]
      : []),
    {
      command: `jlpm start --ServerApp.port=${port}`,
      url: `http://localhost:${port}/lab`,
      timeout: 180 * 1000,
      reuseExistingServer: !process.env.CI
    },
    {
      command: `node ../build/emulator/testing/azure-emulator/main.js --https --port ${emulatorPort} --workspace "${demo}"`,
      url: `https://127.0.0.1:${emulatorPort}/__emulator/fixture`,
      ignoreHTTPSErrors: true,
      timeout: 60 * 1000,
      reuseExistingServer: !process.env.CI
    }
  ]
};
