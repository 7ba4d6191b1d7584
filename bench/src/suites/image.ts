import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SkipSuite, type Figure, type SuiteResult } from '../figure.ts';
import { mib } from '../stats.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Layer {
  readonly size: number;
  readonly CreatedBy: string;
}

/**
 * The size of the image deploy/Dockerfile built, where one was built on this machine (building
 * takes half an hour on 2 cores, so this suite only reads it): `podman build -f deploy/Dockerfile
 * -t localhost/hoplens:VERSION .` first. The runtime stage's own layers are those of its RUN and COPY.
 */
export function imageSuite(): Promise<SuiteResult> {
  const { version } = JSON.parse(readFileSync(join(repo, 'apps/cli/package.json'), 'utf8')) as { version: string };
  const image = `localhost/hoplens:${version}`;
  const inspect = spawnSync('podman', ['image', 'inspect', image, '--format', '{{.Size}}'], { encoding: 'utf8' });
  if (inspect.error || inspect.status !== 0) throw new SkipSuite(`no image ${image} built here (podman build)`);
  const history = spawnSync('podman', ['history', '--format', 'json', image], { encoding: 'utf8' });
  const layers = JSON.parse(history.stdout) as Layer[];
  // Newest first: the runtime stage's instructions, down to the base image's first layer (its ADD).
  const base = layers.findIndex((l) => /#\(nop\) ADD file:/.test(l.CreatedBy) || /^FROM /.test(l.CreatedBy));
  const own = layers.slice(0, base < 0 ? layers.length : base).reduce((n, l) => n + l.size, 0);
  const total = Number(inspect.stdout.trim());
  const figures: Figure[] = [
    {
      id: 'image.size',
      group: 'image',
      label: `${image}: size`,
      value: mib(total),
      unit: 'MiB',
      note: `base image ${mib(total - own)} MiB`,
    },
    {
      id: 'image.own',
      group: 'image',
      label: 'the runtime stage’s own layers (iproute2, util-linux, /opt/hoplens)',
      value: mib(own),
      unit: 'MiB',
      note: layers
        .slice(0, base)
        .filter((l) => l.size > 0)
        .map((l) => `${mib(l.size)} MiB ${l.CreatedBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').slice(0, 40)}…`)
        .join('; '),
    },
  ];
  return Promise.resolve({ figures, details: { image, layers } });
}
