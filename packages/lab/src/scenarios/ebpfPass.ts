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
