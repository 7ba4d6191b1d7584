import { text } from 'node:stream/consumers';
import { collectLocal, createSnapshot } from '@hoplens/collector';
import { HostMapSchema, validate } from '@hoplens/model';

/** Child process entry: host map on stdin, snapshot on stdout. See collectInChild. */
const map = validate(HostMapSchema, JSON.parse(await text(process.stdin)), 'host map');
const hosts = await collectLocal(map);
process.stdout.write(JSON.stringify(createSnapshot(hosts, process.argv[2] ?? 'local')));
