/** Bytes that one collection may read from all its sources together; shared by every fetch of the run. */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Counts `n` more bytes read; false once the total passes the limit. */
  take(n: number): boolean {
    this.used += n;
    return this.used <= this.limit;
  }
}
