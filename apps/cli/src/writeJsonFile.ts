import { closeSync, constants, fchmodSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { jsonPieces } from './jsonPieces.ts';
import { UsageError } from './usageError.ts';

/** Characters gathered before they are encoded and written: at most 3 bytes each in UTF-8. */
const BATCH_CHARS = 16 * 1024;

/**
 * Writes `value` as one line of compact JSON (what JSON.stringify returns, and a newline) to the file
 * at `path`, created with `mode` (or truncated, and given a `mode` other than the default): encoded piece by piece into one small buffer (see
 * jsonPieces), so neither the whole text nor its bytes are ever held. Synchronous: a one-shot
 * command's last step, with nothing else to run meanwhile.
 */
export function writeJsonFile(path: string, value: unknown, mode = 0o666): void {
  // Not truncated yet: the mode is settled first (a file that is not the user's to change is left
  // as it was, not emptied and then refused).
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT, mode);
  try {
    // An existing file keeps its mode through open(): a private one (a dump's raw command output)
    // is made private before anything is written, where it is a regular file this user may change
    // (never /dev/null or a terminal, which root could otherwise make private for the whole
    // machine). The default leaves the umask's choice alone.
    const st = fstatSync(fd);
    if (st.isFile()) {
      if (mode !== 0o666 && (st.mode & 0o777) !== mode) {
        const me = process.geteuid?.();
        if (me !== 0 && st.uid !== me)
          throw new UsageError(`${path} is another user's file: it cannot be made private, so nothing is written`);
        fchmodSync(fd, mode);
      }
      ftruncateSync(fd, 0);
    }
    const bytes = Buffer.allocUnsafeSlow(BATCH_CHARS * 3);
    let batch: string[] = [];
    let chars = 0;
    const flush = (): void => {
      if (chars === 0) return;
      writeText(fd, batch.join(''), bytes);
      batch = [];
      chars = 0;
    };
    jsonPieces(value, (piece) => {
      batch.push(piece);
      chars += piece.length;
      if (chars >= BATCH_CHARS) flush();
    });
    batch.push('\n');
    chars += 1;
    flush();
  } finally {
    closeSync(fd);
  }
}

/** `text` encoded into `bytes` a slice at a time (never splitting a surrogate pair) and written whole. */
function writeText(fd: number, text: string, bytes: Buffer): void {
  const most = Math.floor(bytes.length / 3);
  for (let from = 0; from < text.length;) {
    let to = Math.min(text.length, from + most);
    // A high surrogate last would be encoded alone (as U+FFFD): leave it to the next slice, with its pair.
    if (to < text.length && isHighSurrogate(text.charCodeAt(to - 1))) to--;
    const length = bytes.write(text.slice(from, to), 0, 'utf8');
    for (let done = 0; done < length;) done += writeSync(fd, bytes, done, length - done);
    from = to;
  }
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
