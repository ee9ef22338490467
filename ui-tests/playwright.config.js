/**
 * Galata configuration: JupyterLab's defaults, with Debian's chromium (Playwright cannot download browsers
 * here) and no artefacts that need downloads (video needs Playwright's own ffmpeg).
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Another port lets a second JupyterLab run the tests beside one already on 8888.
const port = process.env.SENTINEL_LAB_PORT || '8888';

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
  webServer: {
    command: `jlpm start --ServerApp.port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
