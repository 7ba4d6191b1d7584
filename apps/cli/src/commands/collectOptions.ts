/** `hoplens collect`'s options, as parseArgs takes them: the command's and its early helper start's. */
export const COLLECT_OPTIONS = {
  hosts: { type: 'string' },
  out: { type: 'string' },
  source: { type: 'string' },
  backend: { type: 'string', default: 'netlink' },
  kubeconfig: { type: 'string' },
  kubernetes: { type: 'boolean' },
} as const;
