import type { OvsBridge, OvsInterface, OvsPort } from '@hoplens/model';
import type { JsonRpcSession } from './jsonRpc.ts';

/** The switch's configuration as OVSDB holds it, before flows and datapath ports are added. */
export interface OvsdbConfig {
  readonly version?: string;
  readonly bridges: Omit<OvsBridge, 'flows'>[];
  /** Rows that could not be read, each named; the rest stands. */
  readonly problems: string[];
}

/** The selects hoplens sends: read-only by construction (RFC 7047 §5.2.2). */
export function ovsdbSelects(): unknown[] {
  const select = (table: string, columns: string[]): unknown => ({ op: 'select', table, where: [], columns });
  return [
    'Open_vSwitch',
    select('Open_vSwitch', ['ovs_version']),
    select('Bridge', ['_uuid', 'name', 'datapath_type', 'fail_mode', 'ports']),
    select('Port', ['_uuid', 'name', 'interfaces', 'tag']),
    select('Interface', ['_uuid', 'name', 'type', 'ofport', 'mac_in_use', 'external_ids', 'error']),
  ];
}

/** Reads bridges, their ports and interfaces in one transaction of selects. */
export async function readOvsdb(session: JsonRpcSession): Promise<OvsdbConfig> {
  return decodeOvsdb(await session.call('transact', ovsdbSelects()));
}

type Row = Record<string, unknown>;

/**
 * Decodes the transaction's answer (RFC 7047 §5.1 notation: `["uuid", …]`, `["set", […]]`,
 * `["map", [[k, v], …]]`, a one-element set as its bare atom). A row that does not decode is left
 * out and named in `problems`; an answer without the four results is refused.
 */
export function decodeOvsdb(answer: unknown): OvsdbConfig {
  if (!Array.isArray(answer) || answer.length < 4) throw new Error('OVSDB answered something that is not our selects');
  const problems: string[] = [];
  const rowsOf = (i: number, table: string): Row[] => {
    const r: unknown = answer[i];
    if (typeof r === 'object' && r !== null && 'error' in r) {
      throw new Error(`OVSDB refused to read ${table}: ${String(r.error)}`);
    }
    const rows = typeof r === 'object' && r !== null ? (r as { rows?: unknown }).rows : undefined;
    if (!Array.isArray(rows)) throw new Error(`OVSDB answered no rows for ${table}`);
    const kept = rows.filter((row): row is Row => typeof row === 'object' && row !== null && !Array.isArray(row));
    // Each row left out is one the switch may have: counted as unread, as a row that does not decode.
    for (let n = kept.length; n < rows.length; n++) problems.push(`${table}: a row that is not an object`);
    return kept;
  };
  const version = optionalOf(rowsOf(0, 'Open_vSwitch')[0]?.ovs_version, 'string');
  const interfaces = new Map<string, OvsInterface>();
  for (const row of rowsOf(3, 'Interface')) {
    try {
      interfaces.set(uuidOf(row._uuid), decodeInterface(row));
    } catch (e) {
      problems.push(`Interface ${nameOf(row)}: ${(e as Error).message}`);
    }
  }
  const ports = new Map<string, OvsPort>();
  for (const row of rowsOf(2, 'Port')) {
    try {
      const tag = optionalOf(row.tag, 'number');
      ports.set(uuidOf(row._uuid), {
        name: stringOf(row.name),
        interfaces: setOf(row.interfaces).flatMap((u) => {
          const iface = interfaces.get(uuidOf(u));
          return iface ? [iface] : [];
        }),
        ...(tag === undefined ? {} : { tag }),
      });
    } catch (e) {
      problems.push(`Port ${nameOf(row)}: ${(e as Error).message}`);
    }
  }
  const bridges: Omit<OvsBridge, 'flows'>[] = [];
  for (const row of rowsOf(1, 'Bridge')) {
    try {
      const failMode = optionalOf(row.fail_mode, 'string');
      bridges.push({
        name: stringOf(row.name),
        datapathType: stringOf(row.datapath_type) || 'system',
        ...(failMode === undefined ? {} : { failMode }),
        ports: setOf(row.ports)
          .flatMap((u) => {
            const port = ports.get(uuidOf(u));
            return port ? [port] : [];
          })
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      });
    } catch (e) {
      problems.push(`Bridge ${nameOf(row)}: ${(e as Error).message}`);
    }
  }
  return { ...(version === undefined ? {} : { version }), bridges, problems };
}

function decodeInterface(row: Row): OvsInterface {
  const ofport = optionalOf(row.ofport, 'number');
  const mac = optionalOf(row.mac_in_use, 'string');
  const error = optionalOf(row.error, 'string');
  return {
    name: stringOf(row.name),
    type: stringOf(row.type),
    // OVSDB says -1 for an interface the switch failed to attach.
    ...(ofport === undefined || ofport < 0 ? {} : { ofport }),
    ...(mac === undefined ? {} : { mac }),
    externalIds: mapOf(row.external_ids),
    ...(error === undefined ? {} : { error }),
  };
}

const nameOf = (row: Row): string => (typeof row.name === 'string' ? JSON.stringify(row.name) : '(unnamed)');

function stringOf(v: unknown): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)?.slice(0, 40)}`);
  return v;
}

function uuidOf(v: unknown): string {
  if (Array.isArray(v) && v[0] === 'uuid' && typeof v[1] === 'string') return v[1];
  throw new Error(`expected a uuid, got ${JSON.stringify(v)?.slice(0, 60)}`);
}

/** The members of an OVSDB set; a set of one may come as the bare atom. */
function setOf(v: unknown): unknown[] {
  if (Array.isArray(v) && v[0] === 'set') {
    if (!Array.isArray(v[1])) throw new Error('a set without members');
    return v[1] as unknown[];
  }
  return [v];
}

/** An optional column (a set of zero or one atoms) of the given JSON type. */
function optionalOf(v: unknown, type: 'string'): string | undefined;
function optionalOf(v: unknown, type: 'number'): number | undefined;
function optionalOf(v: unknown, type: 'string' | 'number'): string | number | undefined {
  if (v === undefined) return undefined;
  const members = setOf(v);
  if (members.length === 0) return undefined;
  const [m] = members;
  if (typeof m !== type || members.length > 1) throw new Error(`expected at most one ${type}`);
  return m as string | number;
}

function mapOf(v: unknown): Record<string, string> {
  if (!Array.isArray(v) || v[0] !== 'map' || !Array.isArray(v[1])) throw new Error('expected a map');
  const out: Record<string, string> = {};
  for (const pair of v[1] as unknown[]) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string')
      throw new Error('a map entry that is not two strings');
    // Assigning `__proto__` would replace the record's prototype rather than add a key.
    if (pair[0] === '__proto__') continue;
    out[pair[0]] = pair[1];
  }
  return out;
}
