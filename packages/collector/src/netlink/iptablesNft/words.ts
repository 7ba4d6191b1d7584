/**
 * Words gathered for one rule at a time: the first `n` of `a`. Counted, not emptied by
 * `length = 0`, which gives V8's array up its storage: each rule allocated it again, and grew it
 * push by push.
 */
export class Words {
  readonly a: string[] = [];
  n = 0;

  push(w: string): void {
    this.a[this.n++] = w;
  }

  pushAll(ws: readonly string[]): void {
    for (let i = 0; i < ws.length; i++) this.a[this.n++] = ws[i]!;
  }

  copy(): string[] {
    return this.a.slice(0, this.n);
  }
}
