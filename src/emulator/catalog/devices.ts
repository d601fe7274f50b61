// The devices people use, as sign-in records and SharePoint describe them.
export interface Device {
  userAgent: string;
  /** DeviceProperties `OS` and `BrowserType` as Entra ID reports them. */
  os: string;
  browser: string;
  /** SharePoint's `Platform`, `BrowserName` and `BrowserVersion`. */
  platform: string;
  browserVersion: string;
}

export const DEVICES: readonly Device[] = [
  {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
    os: 'Windows10',
    browser: 'Edge',
    platform: 'WinDesktop',
    browserVersion: '124.0.0.0',
  },
  {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    os: 'Windows10',
    browser: 'Chrome',
    platform: 'WinDesktop',
    browserVersion: '124.0.0.0',
  },
  {
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    os: 'MacOs',
    browser: 'Safari',
    platform: 'MacDesktop',
    browserVersion: '17.4',
  },
  {
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0',
    os: 'MacOs',
    browser: 'Firefox',
    platform: 'MacDesktop',
    browserVersion: '125.0',
  },
  {
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    os: 'Ios',
    browser: 'Mobile Safari',
    platform: 'iOS',
    browserVersion: '17.4',
  },
  {
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    os: 'Android',
    browser: 'Chrome Mobile',
    platform: 'Android',
    browserVersion: '124.0.0.0',
  },
  {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    os: 'Linux',
    browser: 'Firefox',
    platform: 'Linux',
    browserVersion: '125.0',
  },
];

/** Clients seen in password-spray and token-replay attempts. */
export const SCRIPTED_USER_AGENTS: readonly string[] = [
  'python-requests/2.31.0',
  'Mozilla/5.0 (compatible; MSAL 1.0) PKeyAuth/1.0',
  'BAV2ROPC',
  'axios/1.6.8',
];

/** Exchange's ClientInfoString values for the usual mail clients. */
export const EXCHANGE_CLIENTS: readonly string[] = [
  'Client=OWA;Action=ViaProxy',
  'Client=MSExchangeRPC',
  'Client=REST;Client=RESTSystem;;',
  'Client=OutlookService;Outlook-iOS/2.0;',
  'Client=Microsoft.Exchange.ActiveSync;Outlook-Android/2.0',
];
