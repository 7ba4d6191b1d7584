import { readFile } from 'node:fs/promises';
import { UsageError } from './usageError.ts';

/**
 * The PEM certificate and key given by `--tls-cert` and `--tls-key`: both or neither. A file that
 * cannot be read is a usage error naming the option and the file.
 */
export async function readTls(
  certFile: string | undefined,
  keyFile: string | undefined,
): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (Boolean(certFile) !== Boolean(keyFile)) throw new UsageError('TLS needs both --tls-cert and --tls-key');
  if (!certFile || !keyFile) return undefined;
  return { cert: await readPem(certFile, '--tls-cert'), key: await readPem(keyFile, '--tls-key') };
}

async function readPem(file: string, option: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read ${option} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
