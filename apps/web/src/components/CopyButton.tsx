import { useState } from 'react';

/** Copies text to the clipboard and says so; where the clipboard is refused, says that instead. */
export function CopyButton({ text, label }: { readonly text: string; readonly label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" onClick={copy} className="copy">
      {state === 'copied' ? 'copied' : state === 'failed' ? 'copy failed: select the text' : label}
    </button>
  );
}
