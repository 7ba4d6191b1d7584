import { describe, expect, it } from 'vitest';
import { InternedText } from './internedText.ts';

/** One buffer holding `parts` back to back, and a view of each (as the helper's frames share a chunk). */
function viewsOf(...parts: (string | number[])[]): DataView[] {
  const bytes = parts.map((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p));
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  return bytes.map((b) => {
    all.set(b, at);
    const view = new DataView(all.buffer, at, b.length);
    at += b.length;
    return view;
  });
}

describe('names read from a rule dump', () => {
  it('read each view from its own offset in the buffer they share, up to its NUL', () => {
    const [a, b, c] = viewsOf('KUBE-SVC-A\0xx', 'nat\0', 'KUBE-SVC-A\0');
    const names = new InternedText();
    expect(names.text(a!, 0, 11)).toBe('KUBE-SVC-A');
    expect(names.text(b!, 0, 4)).toBe('nat');
    expect(names.text(a!, 5, 3)).toBe('SVC');
    // The same bytes elsewhere give the same string, made once.
    expect(names.text(c!, 0, 11)).toBe(names.text(a!, 0, 11));
  });

  it('decode UTF-8 beyond ASCII from the view’s own bytes', () => {
    const [, v] = viewsOf('padding', 'défaut/svc\0');
    expect(new InternedText().text(v!, 0, v!.byteLength)).toBe('défaut/svc');
  });

  it('find a C string’s NUL only within its size and its view', () => {
    const [a, b] = viewsOf([0x61, 0x62, 0x63], [0, 0x64, 0]);
    const names = new InternedText();
    // No NUL in `a`: the next view's NUL is not its end.
    expect(names.cString(a!, 0, 3)).toBeUndefined();
    expect(names.cString(a!, 1, 8)).toBeUndefined();
    expect(names.cString(b!, 1, 2)).toBe('d');
    expect(names.cString(b!, 1, 1)).toBeUndefined();
    expect(names.cString(b!, 0, 1)).toBe('');
  });
});
