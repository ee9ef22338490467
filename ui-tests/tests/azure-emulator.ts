/** What the Galata specs of the Azure backend share: the emulator the Playwright config starts. */
import { galata } from '@jupyterlab/galata';

/** The emulator of the Azure APIs (testing/azure-emulator), over HTTPS. */
export const EMULATOR = `https://127.0.0.1:${process.env.SENTINEL_EMULATOR_PORT || '8943'}`;

/** The emulator's tenant (testing/azure-emulator/fixture.ts). */
export const TENANT = '4f1e2d3c-0000-4000-8000-00000000a001';

/** Test options: the Azure settings point at the emulator, with the emulator's app registration. */
export const azureEmulatorOptions = {
  // Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
  mockState: false,
  // The emulator's certificate is self-signed.
  ignoreHTTPSErrors: true,
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'jupyterlab-sentinel:azure': {
      clientId: 'b1e5c6d7-0000-4000-8000-00000000f001',
      tenant: TENANT,
      endpoints: { login: EMULATOR, arm: EMULATOR, logAnalytics: EMULATOR }
    }
  }
};
