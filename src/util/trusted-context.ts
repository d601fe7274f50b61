// One TLS context per configured trust, shared by every connection made with it. Passing `ca` to a
// connection replaces Node's roots, so the roots are kept and a private CA adds trust instead of
// narrowing it; and building the context once spares each new connection parsing some 150 root
// certificates again (tens of milliseconds and a MiB or so of native memory each time).
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

export interface ClientCertificate {
  cert: string;
  key: string;
}

/** A context trusting the system roots plus `extraCa` (PEM), presenting `client` when given. */
export function trustedContext(extraCa: string[], client?: ClientCertificate): SecureContext {
  return createSecureContext({ ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}), ...client });
}
