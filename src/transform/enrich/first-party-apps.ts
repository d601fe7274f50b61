// Microsoft first-party applications: the same application id in every tenant, with a service principal
// that Microsoft owns. Their names are known without asking Graph, so the app-name enricher answers
// from this table first, and a tenant without Application.Read.All still gets the common ones.

export const FIRST_PARTY_APPS: ReadonlyArray<{ appId: string; displayName: string }> = [
  { appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
  { appId: '00000002-0000-0000-c000-000000000000', displayName: 'Windows Azure Active Directory' },
  { appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online' },
  { appId: '00000003-0000-0ff1-ce00-000000000000', displayName: 'Office 365 SharePoint Online' },
  { appId: '00000004-0000-0ff1-ce00-000000000000', displayName: 'Skype for Business Online' },
  { appId: 'c5393580-f805-4401-95e8-94b7a6ef2fc2', displayName: 'Office 365 Management APIs' },
  { appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', displayName: 'Windows Azure Service Management API' },
  { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', displayName: 'Microsoft Teams' },
  { appId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', displayName: 'Microsoft Teams Web Client' },
  { appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', displayName: 'Microsoft Teams Services' },
  { appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', displayName: 'Microsoft Office' },
  { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', displayName: 'OfficeHome' },
  { appId: '00000006-0000-0ff1-ce00-000000000000', displayName: 'Microsoft Office 365 Portal' },
  { appId: '89bee1f7-5e6e-4d8a-9f3d-ecd601259da7', displayName: 'Office365 Shell WCSS-Client' },
  { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', displayName: 'Azure Portal' },
  { appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', displayName: 'Microsoft Azure CLI' },
  { appId: '1950a258-227b-4e31-a9cf-717495945fc2', displayName: 'Microsoft Azure PowerShell' },
  { appId: '1b730954-1685-4b74-9bfd-dac224a7b894', displayName: 'Azure Active Directory PowerShell' },
  { appId: '14d82eec-204b-4c2f-b7e8-296a70dab67e', displayName: 'Microsoft Graph Command Line Tools' },
  { appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', displayName: 'Graph Explorer' },
  { appId: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', displayName: 'Microsoft Exchange REST API Based Powershell' },
  { appId: '9bc3ab49-b65d-410a-85ad-de819febfddc', displayName: 'Microsoft SharePoint Online Management Shell' },
  { appId: '27922004-5251-4030-b22d-91ecd9a37ea4', displayName: 'Outlook Mobile' },
  { appId: 'ab9b8c07-8f02-4f72-87fa-80105867a763', displayName: 'OneDrive SyncEngine' },
  { appId: '29d9ed98-a469-4536-ade2-f981bc1d605e', displayName: 'Microsoft Authentication Broker' },
  { appId: '0000000a-0000-0000-c000-000000000000', displayName: 'Microsoft Intune' },
  { appId: '2793995e-0a7d-40d7-bd35-6968ba142197', displayName: 'My Apps' },
  // Others that audit records name often (Microsoft's sign-in report list of first-party apps).
  { appId: '4345a7b9-9a63-4910-a426-35363201d503', displayName: 'O365 Suite UX' },
  { appId: '00b41c95-dab0-4487-9791-b9d2c32c80f2', displayName: 'Office 365 Management' },
  { appId: '00000007-0000-0ff1-ce00-000000000000', displayName: 'Microsoft Exchange Online Protection' },
  { appId: '0f698dd4-f011-4d23-a33e-b36416dcb1e6', displayName: 'OfficeClientService' },
  { appId: '0ec893e0-5785-4de6-99da-4ed124e5296c', displayName: 'Office UWP PWA' },
  { appId: '18fbca16-2224-45f6-85b0-f7bf2b39b3f3', displayName: 'Microsoft Docs' },
  { appId: '22098786-6e16-43cc-a27d-191a01a1e3b5', displayName: 'Microsoft To-Do client' },
  { appId: '268761a2-03f3-40df-8a8b-c3db24145b6b', displayName: 'Universal Store Native Client' },
  { appId: '26a7ee05-5602-4d76-a7ba-eae8b7b67941', displayName: 'Windows Search' },
  { appId: '2d7f3606-b07d-41d1-b9d2-0d0c9296a6e8', displayName: 'Microsoft Bing Search for Microsoft Edge' },
  { appId: '1b3c667f-cde3-4090-b60b-3d2abd0117f0', displayName: 'Windows Spotlight' },
  { appId: '4813382a-8fa7-425e-ab75-3b753aab3abb', displayName: 'Microsoft Authenticator App' },
];

const NAMES = new Map(FIRST_PARTY_APPS.map(({ appId, displayName }) => [appId, displayName]));

/** The display name of a first-party app, by its lower-case application id. */
export function firstPartyAppName(appId: string): string | undefined {
  return NAMES.get(appId);
}
