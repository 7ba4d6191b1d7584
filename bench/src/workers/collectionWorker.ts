import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HostMapSchema, validate } from '@hoplens/model';
import { collectRounds } from './collectRounds.ts';

/** hoplens against plotnetcfg on the namespaces of a host map, in alternating rounds (collectRounds). */
const { values } = parseArgs({ options: { hosts: { type: 'string' }, rounds: { type: 'string', default: '10' } } });
const map = validate(HostMapSchema, JSON.parse(readFileSync(values.hosts!, 'utf8')), 'host map');
const { result } = await collectRounds(map, Number(values.rounds));
process.stdout.write(`${JSON.stringify(result)}\n`);
