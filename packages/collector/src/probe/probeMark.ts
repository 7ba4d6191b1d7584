import { randomBytes } from 'node:crypto';
import type { ProbeMark } from '@hoplens/model';

/** `hlp`, then five random bytes: what `ping -p` repeats through every probe payload. */
const PATTERN_PREFIX = '686c70';

/** A fresh mark for one probe: a random ICMP identifier and payload pattern. */
export function newProbeMark(): ProbeMark {
  return {
    icmpId: 1 + (randomBytes(2).readUInt16BE(0) % 65535),
    pattern: PATTERN_PREFIX + randomBytes(5).toString('hex'),
  };
}

/** A probe's id: 128 random bits, as snapshot ids. */
export const newProbeId = (): string => randomBytes(16).toString('base64url');
