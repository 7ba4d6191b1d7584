import { useRef } from 'react';

/** "Import": picks a snapshot or `hoplens dump` file, `.json` or `.json.gz` (dropping one on the page does the same). */
export function ImportButton({
  onFile,
  pending,
}: {
  readonly onFile: (file: File) => void;
  readonly pending: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={pending}>
        {pending ? 'Importing…' : 'Import'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,.gz,application/json,application/gzip"
        hidden
        data-testid="import-file"
        aria-label="import a snapshot or dump file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = '';
        }}
      />
    </>
  );
}
