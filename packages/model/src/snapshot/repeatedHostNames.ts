/**
 * A problem for each host whose name an earlier host of the same list has. Every rule, trace and
 * graph names a host by its name: two hosts of one name would be read as one (a trace from the
 * second, a tunnel's remote owned by "both"), and rules would report faults of neither. Sources
 * merged by a server are renamed apart (`worker.2`); one snapshot, dump or host map is refused.
 */
export function repeatedHostNames(hosts: readonly { readonly name: string }[]): string[] {
  const first = new Map<string, number>();
  const problems: string[] = [];
  hosts.forEach(({ name }, i) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else
      problems.push(
        `/hosts/${i}/name ${JSON.stringify(name)} is also /hosts/${earlier}'s: each host needs a name of its own`,
      );
  });
  return problems;
}
