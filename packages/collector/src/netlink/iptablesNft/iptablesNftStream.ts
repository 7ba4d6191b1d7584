import type { IptablesSave } from '../../netfilter/parseIptablesSave.ts';
import { checkGens, Decoder, fallbackOf, type IptablesNftDumps } from './decodeIptablesNft.ts';

/**
 * decodeIptablesNft fed the rule dump's buffers as the helper's frames come, before the rest of the
 * namespace has: a kube-proxy node's 10,000 rules are decoded while the kernel still dumps them and
 * the helper goes on to the next namespaces, instead of after. `finish` gives what
 * decodeIptablesNft gives on the same dumps (its checks in the same order), or undefined where the
 * buffers pushed are not the dumps' (then decodeIptablesNft reads them itself).
 */
export class IptablesNftStream {
  private readonly decoder: Decoder;
  private readonly pushed: DataView[] = [];
  /** The first error reading a buffer: rethrown by `finish`, after the generation check. */
  private failure: { readonly error: unknown } | undefined;

  constructor(private readonly tableNames: readonly string[]) {
    this.decoder = new Decoder(tableNames);
  }

  push(buf: DataView): void {
    this.pushed.push(buf);
    if (this.failure) return;
    try {
      this.decoder.read(buf);
    } catch (error) {
      this.failure = { error };
    }
  }

  finish(d: IptablesNftDumps): IptablesSave | { readonly fallback: string } | undefined {
    const same =
      d.rules.length === this.pushed.length &&
      d.rules.every((b, i) => b === this.pushed[i]) &&
      d.tables.length === this.tableNames.length &&
      d.tables.every((t, i) => t === this.tableNames[i]);
    if (!same) return undefined;
    try {
      checkGens(d);
      if (this.failure) throw this.failure.error;
      return { tables: this.decoder.tables(d), incompatible: [] };
    } catch (e) {
      return fallbackOf(e);
    }
  }
}
