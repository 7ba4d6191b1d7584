/**
 * The random choices a trace meets (kube-proxy picking an endpoint), in the order its walks meet
 * them, and the way to take at each: the trace runs once per combination, so every endpoint is
 * traced as its own branch.
 */
export class Chooser {
  /** The ways offered at each choice met, by label; and the one taken. */
  readonly met: {
    readonly labels: readonly string[];
    readonly probabilities: readonly number[];
    readonly taken: number;
  }[] = [];

  constructor(private readonly forced: readonly number[] = []) {}

  /** The way to take at the next choice, among `labels` with their probabilities (the first unless forced). */
  pick(labels: readonly string[], probabilities: readonly number[]): number {
    const f = this.forced[this.met.length] ?? 0;
    const taken = f < labels.length ? f : 0;
    this.met.push({ labels, probabilities, taken });
    return taken;
  }
}
