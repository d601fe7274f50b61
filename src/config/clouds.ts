// Where each Microsoft 365 cloud serves its token endpoint, the Management Activity API and Graph
// (API contract §1). `custom` has no entry: its three URLs come from the configuration (the emulator).

export const CLOUD_NAMES = ['commercial', 'gcc', 'gcc-high', 'dod', 'custom'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudEndpoints {
  login_url: string;
  api_url: string;
  graph_url: string;
}

export const CLOUD_ENDPOINTS: Readonly<Record<Exclude<CloudName, 'custom'>, Readonly<CloudEndpoints>>> = {
  commercial: {
    login_url: 'https://login.microsoftonline.com',
    api_url: 'https://manage.office.com',
    graph_url: 'https://graph.microsoft.com',
  },
  gcc: {
    // GCC tenants live in the commercial Entra ID; only the API host differs.
    login_url: 'https://login.microsoftonline.com',
    api_url: 'https://manage-gcc.office.com',
    graph_url: 'https://graph.microsoft.com',
  },
  'gcc-high': {
    login_url: 'https://login.microsoftonline.us',
    api_url: 'https://manage.office365.us',
    graph_url: 'https://graph.microsoft.us',
  },
  dod: {
    login_url: 'https://login.microsoftonline.us',
    api_url: 'https://manage.protection.apps.mil',
    graph_url: 'https://dod-graph.microsoft.us',
  },
};
