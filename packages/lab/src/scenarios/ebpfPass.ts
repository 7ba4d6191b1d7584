import { labFilesDir } from '../prefix.ts';

/** An eBPF classifier that passes every packet (TC_ACT_OK), as `llvm-mc` assembles it. */
export const EBPF_PASS = `\t.section\tclassifier,"ax",@progbits
\t.globl\thoplens_pass
\t.type\thoplens_pass,@function
hoplens_pass:
\tr0 = 0
\texit
.Lend:
\t.size\thoplens_pass, .Lend-hoplens_pass
\t.section\tlicense,"aw",@progbits
\t.globl\t_license
_license:
\t.asciz\t"GPL"
`;

/**
 * EBPF_PASS assembled in the lab's files and attached as a direct-action classifier at `dev`'s
 * `hook` in namespace `netns` (a clsact qdisc made for it): the file to write, then the commands.
 */
export function ebpfPassFilter(
  prefix: string,
  netns: string,
  dev: string,
  hook: 'ingress' | 'egress',
): { readonly file: { path: string; content: string }; readonly commands: string[][] } {
  const dir = `${labFilesDir(prefix)}/ebpf`;
  const tc = (...args: string[]): string[] => ['tc', '-n', netns, ...args];
  return {
    file: { path: `${dir}/pass.s`, content: EBPF_PASS },
    commands: [
      ['llvm-mc', '-triple', 'bpfel', '-filetype=obj', `${dir}/pass.s`, '-o', `${dir}/pass.o`],
      tc('qdisc', 'add', 'dev', dev, 'clsact'),
      tc('filter', 'add', 'dev', dev, hook, 'prio', '1', 'bpf', 'da', 'obj', `${dir}/pass.o`, 'sec', 'classifier'),
    ],
  };
}
