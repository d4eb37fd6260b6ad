/**
 * What the HTTP delegation handler may call. A delegation URL comes from the model (a Qualifier value any
 * client with write access can set), so without a guard the server would POST wherever a model says: a
 * server-side request forgery. Three rules:
 * 1. Only URLs the operator allows (`AAS_OPERATION_DELEGATION_ALLOW`): a URL prefix (same scheme, host and port,
 *    path starting with the prefix's path) or a host name. Nothing is allowed by default.
 * 2. Never a link-local or cloud metadata address (169.254.0.0/16, fe80::/10, fd00:ec2::254, 100.100.100.200,
 *    also when written IPv4-mapped or NAT64), unless `AAS_OPERATION_DELEGATION_ALLOW_LINK_LOCAL` is set.
 * 3. The host name is resolved once, every address it resolves to is checked, and the connection goes to the
 *    checked address (no second lookup a rebinding DNS server could answer differently).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (injectable for tests). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
LINK_LOCAL.addSubnet('64:ff9b::a9fe:0', 112, 'ipv6'); // NAT64 form of 169.254.0.0/16

/** Instance metadata services outside the link-local ranges (AWS IPv6, Alibaba Cloud). */
const METADATA = new BlockList();
METADATA.addAddress('fd00:ec2::254', 'ipv6');
METADATA.addAddress('100.100.100.200', 'ipv4');
METADATA.addAddress('64:ff9b::6464:64c8', 'ipv6');

/** Why the address must not be contacted, or undefined. IPv4-mapped IPv6 addresses are checked as IPv4. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (METADATA.check(address, type)) return `${address} is a cloud metadata service address`;
  if (LINK_LOCAL.check(address, type)) return `${address} is a link-local address (cloud metadata services live there)`;
  return undefined;
}

/**
 * Parses the allow list setting: comma-separated URL prefixes (`https://svc.example.com/ops/`) and host names
 * (`svc.example.com`, `127.0.0.1`, `[::1]`). Throws an Error naming a malformed entry.
 */
export function parseDelegationAllowList(raw: string): string[] {
  const entries = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    if (entry.includes('://')) {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`"${entry}" is not a URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${entry}": only http and https URLs can be allowed`);
    } else if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(entry)) {
      throw new Error(`"${entry}" is neither a URL prefix nor a host name`);
    }
  }
  return entries;
}

/** Why `url` may not be called under the allow list, or undefined when an entry allows it. */
export function allowListRefusal(url: URL, allow: readonly string[]): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} URLs cannot be delegated to; use http or https`;
  if (allow.length === 0) return 'operation delegation is switched off (AAS_OPERATION_DELEGATION_ALLOW is empty)';
  const allowed = allow.some((entry) => {
    if (entry.includes('://')) {
      const prefix = new URL(entry);
      return url.origin === prefix.origin && url.pathname.startsWith(prefix.pathname);
    }
    const host = entry.toLowerCase();
    return host === url.hostname || host === url.host;
  });
  return allowed ? undefined : `${url.origin}${url.pathname} is not in AAS_OPERATION_DELEGATION_ALLOW`;
}

/**
 * The one address to connect to for `hostname`: an IP literal as is, a name resolved once. Throws when the
 * name does not resolve or any of its addresses is forbidden (rule 2), so a name with one safe and one
 * metadata address cannot be used to reach the latter.
 */
export async function resolveDelegationTarget(hostname: string, options: { allowLinkLocal: boolean; resolve: HostResolver }): Promise<ResolvedAddress> {
  const literal = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(literal);
  let addresses: ResolvedAddress[];
  if (family !== 0) addresses = [{ address: literal, family: family === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await options.resolve(hostname);
    } catch (e) {
      throw new Error(`the host name ${hostname} does not resolve (${(e as { code?: string }).code ?? (e as Error).message})`, { cause: e });
    }
    if (addresses.length === 0) throw new Error(`the host name ${hostname} does not resolve`);
  }
  if (!options.allowLinkLocal) {
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) throw new Error(`refusing to call ${hostname}: ${reason} (set AAS_OPERATION_DELEGATION_ALLOW_LINK_LOCAL to allow it)`);
    }
  }
  return addresses[0];
}
