import { describe, expect, it } from 'vitest';
import { parseRules } from './parseRules.ts';

describe('parseRules with L4 and uid selectors', () => {
  it('reads ipproto by name, a port or a port range, and a uid range, as the netlink decoder does', () => {
    // Real `ip -j rule show` after `ip rule add ipproto tcp dport 80 lookup 100 pref 100`,
    // `… sport 1000-2000 ipproto udp lookup 101 pref 101`, `… uidrange 1000-2000 prohibit pref 102`
    // and `… ipproto 132 prohibit pref 103`.
    const text =
      '[{"priority":100,"src":"all","ipproto":"tcp","dport":80,"table":"100"},{"priority":101,"src":"all","ipproto":"udp","sport_start":1000,"sport_end":2000,"table":"101"},{"priority":102,"src":"all","uid_start":1000,"uid_end":2000,"action":"prohibit"},{"priority":103,"src":"all","ipproto":"sctp","action":"prohibit"}]';
    expect(
      parseRules(text, 'inet').map(({ ipproto, sport, dport, uidRange }) => ({ ipproto, sport, dport, uidRange })),
    ).toEqual([
      { ipproto: 6, sport: undefined, dport: { start: 80, end: 80 }, uidRange: undefined },
      { ipproto: 17, sport: { start: 1000, end: 2000 }, dport: undefined, uidRange: undefined },
      { ipproto: undefined, sport: undefined, dport: undefined, uidRange: { start: 1000, end: 2000 } },
      { ipproto: 132, sport: undefined, dport: undefined, uidRange: undefined },
    ]);
  });
});
