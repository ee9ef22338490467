/**
 * The fixed tenant the emulator pretends to be: one signed-in analyst, two subscriptions, and two
 * Log Analytics workspaces backed by the same local workspace folder. Ids are constant so tests and
 * browser tests can name them.
 */

/** A user (or an application) as ARM's `UserInfo` shows it. */
export interface IUserInfo {
  /** Entra object id. */
  objectId: string;
  /** Sign-in name; absent for an application. */
  email?: string;
  /** Display name. */
  name?: string;
}

/** A subscription of the tenant. */
export interface IFixtureSubscription {
  subscriptionId: string;
  displayName: string;
}

/** A Log Analytics workspace of the tenant. */
export interface IFixtureWorkspace {
  /** Subscription that holds the workspace. */
  subscriptionId: string;
  resourceGroup: string;
  /** ARM resource name. */
  name: string;
  /** The workspace GUID the query API takes (`properties.customerId`). */
  customerId: string;
  location: string;
  /** True when Microsoft Sentinel is onboarded (the workspace has bookmarks and `HuntingBookmark`). */
  sentinel: boolean;
}

/** The directory (tenant) id. */
export const TENANT_ID = '4f1e2d3c-0000-4000-8000-00000000a001';

/** The analyst every interactive sign-in signs in as. */
export const ANALYST: Required<IUserInfo> = {
  objectId: '7d2c9e10-0000-4000-8000-00000000b001',
  email: 'analyst@contoso.example',
  name: 'Ada Analyst'
};

/** The service principal object id `client_credentials` tokens carry. */
export const SERVICE_PRINCIPAL_ID = '7d2c9e10-0000-4000-8000-00000000b002';

/** The tenant's subscriptions, in the order ARM lists them. */
export const SUBSCRIPTIONS: IFixtureSubscription[] = [
  {
    subscriptionId: '1a2b3c4d-0000-4000-8000-00000000c001',
    displayName: 'Security Operations'
  },
  {
    subscriptionId: '1a2b3c4d-0000-4000-8000-00000000c002',
    displayName: 'Sandbox'
  }
];

/**
 * The tenant's workspaces: two in the first subscription (one without Sentinel), one in the
 * second, so that a query across workspaces also crosses subscriptions.
 */
export const WORKSPACES: IFixtureWorkspace[] = [
  {
    subscriptionId: SUBSCRIPTIONS[0].subscriptionId,
    resourceGroup: 'rg-SecOps',
    name: 'sentinel-demo',
    customerId: 'c0ffee00-0000-4000-8000-00000000d001',
    location: 'westeurope',
    sentinel: true
  },
  {
    subscriptionId: SUBSCRIPTIONS[0].subscriptionId,
    resourceGroup: 'rg-SecOps',
    name: 'plain-logs',
    customerId: 'c0ffee00-0000-4000-8000-00000000d002',
    location: 'westeurope',
    sentinel: false
  },
  {
    subscriptionId: SUBSCRIPTIONS[1].subscriptionId,
    resourceGroup: 'rg-Sandbox',
    name: 'sandbox-logs',
    customerId: 'c0ffee00-0000-4000-8000-00000000d003',
    location: 'northeurope',
    sentinel: false
  }
];

/** A workspace's ARM resource id, lower-cased in its fixed segments as ARM returns it. */
export function workspaceResourceId(ws: IFixtureWorkspace): string {
  return `/subscriptions/${ws.subscriptionId}/resourcegroups/${ws.resourceGroup.toLowerCase()}/providers/microsoft.operationalinsights/workspaces/${ws.name.toLowerCase()}`;
}

/** A Microsoft Sentinel incident of a workspace. */
export interface IFixtureIncident {
  /** The incident's resource name (a GUID), the id bookmarks link to. */
  name: string;
  incidentNumber: number;
  title: string;
  severity: 'High' | 'Medium' | 'Low' | 'Informational';
  status: 'New' | 'Active' | 'Closed';
}

/** The incidents of the Sentinel workspace. */
export const INCIDENTS: IFixtureIncident[] = [
  {
    name: '5e1f0a2b-0000-4000-8000-00000000e101',
    incidentNumber: 42,
    title: 'Password spray against Contoso accounts',
    severity: 'High',
    status: 'Active'
  },
  {
    name: '5e1f0a2b-0000-4000-8000-00000000e102',
    incidentNumber: 43,
    title: 'Mailbox forwarding rule to an external address',
    severity: 'Medium',
    status: 'New'
  }
];
