/**
 * How the kernel refuses a dump of a family it does not have: one booted with IPv6 off
 * (ipv6.disable=1) has no IPv6 policy rules, and fib_nl_dumprule answers EAFNOSUPPORT rather than
 * none. Said by `ip` (RTNETLINK answers: …) and the netlink helper (dump N refused: …) alike; it
 * means "none", not "not read".
 */
export const FAMILY_REFUSED = /Address family not supported/;
