// What every audit record shares (contract §5.2), and the wire's habits that several workloads show.
import type { AuditRecord } from '../../types.js';
import { wireTime, type Draw } from '../draw.js';
import type { TenantProfile } from '../tenant-profile.js';

export interface RecordContext {
  profile: TenantProfile;
  id: string;
  /** Event time, epoch milliseconds. */
  creationTime: number;
  /** Deterministic draws for this record alone. */
  draw: Draw;
}

export interface CommonFields {
  Operation: string;
  RecordType: number;
  ResultStatus?: string;
  UserKey: string;
  UserType: number;
  Workload: string;
  ClientIP?: string;
  ObjectId?: string;
  UserId: string;
}

/** A record with the common fields in the order the service writes them, then the workload's own. */
export function auditRecord(context: RecordContext, common: CommonFields, own: Record<string, unknown>): AuditRecord {
  const { Operation, RecordType, ResultStatus, UserKey, UserType, Workload, ClientIP, ObjectId, UserId } = common;
  return {
    CreationTime: wireTime(context.creationTime),
    Id: context.id,
    Operation,
    OrganizationId: context.profile.tenantId,
    RecordType,
    ...(ResultStatus === undefined ? {} : { ResultStatus }),
    UserKey,
    UserType,
    Version: 1,
    Workload,
    ...(ClientIP === undefined ? {} : { ClientIP }),
    ...(ObjectId === undefined ? {} : { ObjectId }),
    UserId,
    ...own,
  };
}

/** UserType values (contract §5.2). */
export const USER_TYPE = { regular: 0, admin: 2, dcAdmin: 3, system: 4, application: 5, servicePrincipal: 6 } as const;

/** `"[\r\n  value\r\n]"`: how Entra ID writes a property value, a JSON array inside a string. */
export function jsonArrayString(values: readonly unknown[]): string {
  if (values.length === 0) return '[]';
  return `[\r\n${values.map((value) => `  ${JSON.stringify(value)}`).join(',\r\n')}\r\n]`;
}

/** A mailbox server as Exchange names it; the service often leaves the line break on the end. */
export function originatingServer(draw: Draw, profile: TenantProfile): string {
  const server = `${profile.serverPrefix}${1000 + Math.floor(draw() * 9000)} (15.20.${7000 + Math.floor(draw() * 900)}.0${10 + Math.floor(draw() * 30)})`;
  const ending = draw();
  return ending < 0.7 ? `${server}\r\n` : ending < 0.8 ? `${server}\n` : server;
}
