/**
 * Parses `ovs-appctl dpif/show`: per bridge, each port's datapath port number, which is what the
 * `Datapath actions` of ofproto/trace name (`podA 1/2: (system)` is OpenFlow port 1, datapath port
 * 2). Lines it cannot read (a name with a newline in it) are skipped: those ports stay unmapped, and
 * a trace that leaves through one ends `unknown`.
 */
export function parseDpifShow(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  let bridge: Map<string, number> | undefined;
  for (const line of text.split('\n')) {
    const b = /^ {2}(\S(?:.*\S)?):$/.exec(line);
    if (b) {
      bridge = new Map();
      out.set(b[1] ?? '', bridge);
      continue;
    }
    const p = /^ {4}(.+) (?:\d+|none)\/(\d+|none):(?: \(.*\))?$/.exec(line);
    if (p && bridge && p[2] !== 'none') bridge.set(p[1] ?? '', Number(p[2]));
  }
  return out;
}
