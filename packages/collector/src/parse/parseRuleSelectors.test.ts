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

  it('reads tos, l3mdev and tun_id, and names suppress_ifgroup as a selector it does not evaluate', () => {
    // Real `ip -j rule show` after `ip rule add tos 0x10 lookup 100 pref 100`, `… l3mdev pref 200`,
    // `… tun_id 5 lookup 101 pref 300` and `… suppress_ifgroup 5 lookup 100 pref 102`.
    const text =
      '[{"priority":100,"src":"all","tos":"0x10","table":"100"},{"priority":102,"src":"all","table":"100","suppress_ifgroup":"5"},{"priority":200,"src":"all","l3mdev":null},{"priority":300,"src":"all","tun_id":5,"table":"101"}]';
    expect(parseRules(text, 'inet')).toEqual([
      { family: 'inet', priority: 100, invert: false, action: 'lookup', table: '100', tos: 16 },
      {
        family: 'inet',
        priority: 102,
        invert: false,
        action: 'lookup',
        table: '100',
        unevaluated: ['suppress_ifgroup'],
      },
      { family: 'inet', priority: 200, invert: false, action: 'lookup', l3mdev: true },
      { family: 'inet', priority: 300, invert: false, action: 'lookup', table: '101', tunId: '5' },
    ]);
  });

  it('refuses a tos it cannot read as a number or a name of rt_dsfield', () => {
    expect(() => parseRules('[{"priority":1,"src":"all","tos":"$(reboot)","table":"1"}]', 'inet')).toThrow(
      /unknown tos/,
    );
    expect(parseRules('[{"priority":1,"src":"all","tos":"AF11","table":"1"}]', 'inet')[0]?.tos).toBe(0x28);
  });
});
