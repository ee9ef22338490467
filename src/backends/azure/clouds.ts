/**
 * The Azure clouds the backend signs in to and queries: for each, the Entra ID login host, the
 * ARM endpoint and the Log Analytics query endpoint, and the token resource of each API. Every
 * endpoint can be overridden in the settings (sovereign or private endpoints, a local test
 * service); a resource follows its endpoint's cloud unless it is overridden too.
 */

/** The Azure clouds the settings offer. */
export type AzureCloudName = 'AzurePublic' | 'AzureUSGovernment' | 'AzureChina';

/** The two APIs a token is asked for: one token per resource. */
export type AzureResource = 'arm' | 'logAnalytics';

/** Where one cloud's APIs live and which token each needs. */
export interface ICloudEndpoints {
  /** The Entra ID host that signs users in, e.g. `https://login.microsoftonline.com`. */
  login: string;
  /** The Azure Resource Manager endpoint, e.g. `https://management.azure.com`. */
  arm: string;
  /** The Log Analytics query endpoint without `/v1`, e.g. `https://api.loganalytics.azure.com`. */
  logAnalytics: string;
  /** The token resource (audience) of each API; the MSAL scope is `<resource>/.default`. */
  resources: Record<AzureResource, string>;
}

/** Endpoint overrides from the settings; an empty string keeps the cloud's own. */
export interface ICloudOverrides {
  login?: string;
  arm?: string;
  logAnalytics?: string;
  armResource?: string;
  logAnalyticsResource?: string;
}

/**
 * The endpoints of each cloud (Learn: "Access the Azure Monitor Log Analytics API", the ARM cloud
 * metadata and MSAL's `AzureCloudInstance`). China's Log Analytics audience is
 * `api.loganalytics.azure.cn`, as the ARM metadata gives it, not the `.cn` host of older SDKs.
 */
export const CLOUDS: Readonly<Record<AzureCloudName, ICloudEndpoints>> = {
  AzurePublic: {
    login: 'https://login.microsoftonline.com',
    arm: 'https://management.azure.com',
    logAnalytics: 'https://api.loganalytics.azure.com',
    resources: {
      arm: 'https://management.azure.com',
      logAnalytics: 'https://api.loganalytics.io'
    }
  },
  AzureUSGovernment: {
    login: 'https://login.microsoftonline.us',
    arm: 'https://management.usgovcloudapi.net',
    logAnalytics: 'https://api.loganalytics.us',
    resources: {
      arm: 'https://management.usgovcloudapi.net',
      logAnalytics: 'https://api.loganalytics.us'
    }
  },
  AzureChina: {
    login: 'https://login.chinacloudapi.cn',
    arm: 'https://management.chinacloudapi.cn',
    logAnalytics: 'https://api.loganalytics.azure.cn',
    resources: {
      arm: 'https://management.chinacloudapi.cn',
      logAnalytics: 'https://api.loganalytics.azure.cn'
    }
  }
};

/** True for a cloud name the settings allow. */
export function isCloudName(value: unknown): value is AzureCloudName {
  return typeof value === 'string' && Object.hasOwn(CLOUDS, value);
}

/** A URL without trailing slashes, so that paths can be appended with one `/`. */
function origin(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * Checks an endpoint override: an absolute http(s) URL. Throws a `RangeError` naming the setting
 * otherwise, so that a typo is reported rather than sent requests to.
 */
function checked(setting: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new RangeError(
      `The setting ${setting} must be an absolute URL, not “${value}”`
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(
      `The setting ${setting} must be an http(s) URL, not “${value}”`
    );
  }
  return origin(value);
}

/** The endpoints of a cloud with the overrides applied. */
export function cloudEndpoints(
  cloud: AzureCloudName,
  overrides: ICloudOverrides = {}
): ICloudEndpoints {
  const base = CLOUDS[cloud];
  const pick = (setting: keyof ICloudOverrides, fallback: string): string => {
    const value = overrides[setting];
    return value && value.trim() ? checked(setting, value) : fallback;
  };
  return {
    login: pick('login', base.login),
    arm: pick('arm', base.arm),
    logAnalytics: pick('logAnalytics', base.logAnalytics),
    resources: {
      arm: pick('armResource', base.resources.arm),
      logAnalytics: pick('logAnalyticsResource', base.resources.logAnalytics)
    }
  };
}

/** The MSAL scope of a resource: the resource followed by `/.default`. */
export function scopeOf(resource: string): string {
  return `${origin(resource)}/.default`;
}
