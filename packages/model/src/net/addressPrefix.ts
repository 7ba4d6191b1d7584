import { parseIp, type Prefix } from './ip.ts';

/** What an interface address says of its subnet: the address and its prefix length. */
interface AddressLike {
  readonly address: string;
  readonly prefixlen: number;
}

/**
 * The subnet an interface address is on (`address/prefixlen`, the address's own bits kept, as
 * parsePrefix gives it), or undefined when either is not valid: read from the address's fields,
 * where building the text `a/n` to parse it again was a string and a split per question.
 */
export function addressPrefix(a: AddressLike): Prefix | undefined {
  const ip = parseIp(a.address);
  const bits = ip?.family === 4 ? 32 : 128;
  const length = a.prefixlen;
  return ip && Number.isInteger(length) && length >= 0 && length <= bits
    ? { family: ip.family, value: ip.value, length }
    : undefined;
}
