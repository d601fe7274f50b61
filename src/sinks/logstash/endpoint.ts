// One Logstash host: a TCP (or TLS) connection opened on first use and kept, replaced when it breaks.
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { TlsConnectOptions } from '../elasticsearch/tls.js';

export interface Address {
  host: string;
  port: number;
  /** `host:port` as configured, for messages. */
  display: string;
}

/** Parses `host:port` or `[ipv6]:port` (already checked by the configuration). */
export function parseAddress(value: string): Address {
  const match = /^\[(.+)\]:(\d+)$/.exec(value) ?? /^(.+):(\d+)$/.exec(value);
  if (match === null) throw new Error(`output.logstash.hosts: "${value}" is not host:port — write it as host:port, e.g. logstash.example.com:5044`);
  return { host: match[1] as string, port: Number(match[2]), display: value };
}

export interface Endpoint {
  readonly address: Address;
  /** The open connection, connecting first when there is none or the last one broke. */
  connection(): Promise<Socket>;
  /** Drops the connection after a failure, so the next use connects afresh. */
  discard(): void;
  /** Sends what is buffered, then closes. */
  close(): Promise<void>;
}

export interface EndpointOptions {
  /** TLS settings, or undefined for plain TCP. */
  tls: TlsConnectOptions | undefined;
  connectTimeoutMs: number;
}

export function createEndpoint(address: Address, options: EndpointOptions): Endpoint {
  let socket: Socket | undefined;

  async function connection(): Promise<Socket> {
    if (socket !== undefined) {
      // Let a close or reset that already arrived be seen before writing: TCP would otherwise accept
      // the bytes of a connection the peer has gone from, and lose them.
      await new Promise((resolve) => setImmediate(resolve));
      if (isUsable(socket)) return socket;
      socket.destroy();
    }
    socket = await open(address, options);
    return socket;
  }

  return {
    address,
    connection,
    discard() {
      socket?.destroy();
      socket = undefined;
    },
    async close() {
      const closing = socket;
      socket = undefined;
      if (closing === undefined || closing.destroyed) return;
      await new Promise<void>((resolve) => {
        closing.once('error', () => resolve());
        closing.end(() => resolve());
      });
      closing.destroy();
    },
  };
}

function isUsable(socket: Socket): boolean {
  return !socket.destroyed && socket.writable && !socket.readableEnded;
}

function open(address: Address, options: EndpointOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = options.tls
      ? connectTls({ host: address.host, port: address.port, ...options.tls, ...(isIP(address.host) ? {} : { servername: address.host }) })
      : connectTcp({ host: address.host, port: address.port });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(options.connectTimeoutMs, () => fail(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })));
    socket.once('error', fail);
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      socket.setTimeout(0);
      socket.off('error', fail);
      socket.setKeepAlive(true, 30_000);
      socket.setNoDelay(true);
      // Logstash sends nothing, but reading is what surfaces its closing the connection.
      socket.on('error', () => socket.destroy());
      socket.resume();
      resolve(socket);
    });
  });
}
