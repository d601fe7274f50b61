// The people, sites, teams and policies of one emulated tenant: a small fixed cast that every record of
// the tenant draws from, so that users, addresses and files recur the way they do in a real tenant.
import { seededRandom, seedOf, stableGuid } from '../random.js';
import type { EmulatedTenant } from '../types.js';
import { DEVICES, type Device } from './devices.js';
import { between, digits, hex, pick, type Draw } from './draw.js';
import { PUBLIC_ADDRESSES } from './public-addresses.js';

export interface Person {
  displayName: string;
  upn: string;
  objectId: string;
  /** Passport-style user id, as `UserKey` and the `Type 3` actor carry it: 16 upper-case hex digits. */
  puid: string;
  sid: string;
  mailboxGuid: string;
  yammerId: number;
  /** The address this person usually signs in from. */
  homeAddress: string;
  device: Device;
  isAdmin: boolean;
  oneDriveUrl: string;
}

export interface Site {
  url: string;
  siteId: string;
  webId: string;
  listId: string;
  library: string;
}

export interface Team {
  name: string;
  teamGuid: string;
  groupId: string;
  channels: readonly string[];
}

export interface TenantProfile {
  tenantId: string;
  domain: string;
  displayName: string;
  /** First label of the domain, the SharePoint host name (`contoso` → contoso.sharepoint.com). */
  name: string;
  /** Datacenter region as content ids and Exchange server names show it. */
  region: 'namr' | 'emea' | 'apac';
  people: readonly Person[];
  admins: readonly Person[];
  sites: readonly Site[];
  teams: readonly Team[];
  /** Exchange Online forest, e.g. `EURPR05A003.prod.outlook.com`. */
  forest: string;
  /** Mailbox server name prefix, e.g. `AM0PR05MB`. */
  serverPrefix: string;
  yammerNetworkId: number;
  /** Domain SID that mailbox owner SIDs share. */
  sidPrefix: string;
}

const GIVEN_NAMES = [
  'Adele', 'Alex', 'Amara', 'Ana', 'Anil', 'Astrid', 'Ben', 'Carlos', 'Chen', 'Chiara', 'Dmitri', 'Elif',
  'Emma', 'Fatima', 'Hana', 'Ines', 'Isaac', 'Jonas', 'Kenji', 'Lars', 'Lea', 'Lucas', 'Maria', 'Megan',
  'Mohammed', 'Nestor', 'Nia', 'Olga', 'Omar', 'Priya', 'Rafael', 'Sanjay', 'Sara', 'Sofia', 'Tariq',
  'Thandiwe', 'Wei', 'Yuki', 'Zanele', 'Zoe',
];
const SURNAMES = [
  'Adeyemi', 'Andersen', 'Bauer', 'Bianchi', 'Costa', 'Dubois', 'Eriksson', 'Fernandes', 'Garcia', 'Haddad',
  'Ivanova', 'Jansen', 'Kim', 'Kowalski', 'Kumar', 'Lee', 'Lopez', 'Mbeki', 'Meyer', 'Moreau', 'Nakamura',
  'Novak', 'Okafor', 'Olsen', 'Patel', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Smith', 'Suzuki', 'Tanaka',
  'Wang', 'Wilber', 'Yilmaz', 'Zhang',
];
const SITE_NAMES = ['Finance', 'Marketing', 'Engineering', 'HumanResources', 'Legal', 'Internalcommunications', 'Sales'];
const TEAM_NAMES = ['Project Falcon', 'Sales EMEA', 'IT Operations', 'Leadership', 'Product Launch'];
const CHANNELS = ['General', 'Planning', 'Announcements', 'Support', 'Random'];
const FORESTS = {
  namr: { forest: 'NAMPR', server: 'CY5PR' },
  emea: { forest: 'EURPR', server: 'AM0PR' },
  apac: { forest: 'APCPR', server: 'SG2PR' },
} as const;

const PEOPLE_PER_TENANT = 40;
const ADMINS_PER_TENANT = 3;

export function createTenantProfile(seed: number, tenant: EmulatedTenant): TenantProfile {
  const draw = seededRandom(seedOf(seed, 'tenant profile', tenant.tenantId));
  const name = tenant.domain.split('.')[0] ?? tenant.domain;
  const region = pick(draw, ['namr', 'emea', 'apac'] as const);
  const sidPrefix = `S-1-5-21-${between(draw, 1e9, 4e9)}-${between(draw, 1e8, 4e9)}-${between(draw, 1e9, 4e9)}`;
  const people = createPeople(seed, tenant, name, sidPrefix, draw);
  const sites = SITE_NAMES.slice(0, 5 + between(draw, 0, 2)).map((site) => ({
    url: `https://${name}.sharepoint.com/sites/${site}`,
    siteId: stableGuid(seed, tenant.tenantId, 'site', site),
    webId: stableGuid(seed, tenant.tenantId, 'web', site),
    listId: stableGuid(seed, tenant.tenantId, 'list', site),
    library: 'Shared Documents',
  }));
  const teams = TEAM_NAMES.map((team) => ({
    name: team,
    teamGuid: `19:${hex(draw, 32)}@thread.skype`,
    groupId: stableGuid(seed, tenant.tenantId, 'team', team),
    channels: CHANNELS.slice(0, between(draw, 2, CHANNELS.length)),
  }));
  const shard = String(between(draw, 1, 9)).padStart(2, '0');
  return {
    tenantId: tenant.tenantId,
    domain: tenant.domain,
    displayName: tenant.displayName,
    name,
    region,
    people,
    admins: people.filter((person) => person.isAdmin),
    sites,
    teams,
    forest: `${FORESTS[region].forest}${shard}A00${between(draw, 1, 9)}.prod.outlook.com`,
    serverPrefix: `${FORESTS[region].server}${shard}MB`,
    yammerNetworkId: between(draw, 1e9, 9e9),
    sidPrefix,
  };
}

function createPeople(seed: number, tenant: EmulatedTenant, name: string, sidPrefix: string, draw: Draw): Person[] {
  const taken = new Set<string>();
  const people: Person[] = [];
  for (let i = 0; i < PEOPLE_PER_TENANT; i++) {
    const given = pick(draw, GIVEN_NAMES);
    const surname = pick(draw, SURNAMES);
    let alias = `${given}.${surname}`.toLowerCase();
    for (let n = 2; taken.has(alias); n++) alias = `${given}.${surname}${n}`.toLowerCase();
    taken.add(alias);
    const upn = `${alias}@${tenant.domain}`;
    people.push({
      displayName: `${given} ${surname}`,
      upn,
      objectId: stableGuid(seed, tenant.tenantId, 'user', i),
      puid: `1003${hex(draw, 12)}`.toUpperCase(),
      sid: `${sidPrefix}-${between(draw, 1000, 9_999_999)}`,
      mailboxGuid: stableGuid(seed, tenant.tenantId, 'mailbox', i),
      yammerId: Number(`3${digits(draw, 10)}`),
      homeAddress: pick(draw, PUBLIC_ADDRESSES),
      device: pick(draw, DEVICES),
      // The last few are admins, so that the busiest users (the first ones) are ordinary people.
      isAdmin: i >= PEOPLE_PER_TENANT - ADMINS_PER_TENANT,
      oneDriveUrl: `https://${name}-my.sharepoint.com/personal/${upn.replace(/[.@]/g, '_')}`,
    });
  }
  return people;
}

/** Someone from the tenant; a few people account for most activity, as in real tenants. */
export function somePerson(draw: Draw, profile: TenantProfile): Person {
  const people = profile.people;
  return people[Math.floor(draw() * draw() * people.length)] ?? (people[0] as Person);
}
