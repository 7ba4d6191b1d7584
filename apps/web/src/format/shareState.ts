/** What "share" answered: the snapshot pinned or not (and why not), the link copied or not. */
export interface ShareAnswer {
  readonly pinned: boolean;
  readonly copied: boolean;
  readonly why?: string | undefined;
}

/** The share button's state: a short label of a fixed width, and the whole answer in words. */
export interface ShareState {
  readonly state: 'idle' | 'idle-kept' | 'copied-kept' | 'copied-not-kept' | 'failed';
  readonly label: string;
  readonly said: string;
}

/** The share button before and after it is pressed (labels fit the button's fixed width). */
export function shareState(answer: ShareAnswer | undefined, pinnedBefore: boolean): ShareState {
  if (!answer)
    return pinnedBefore
      ? { state: 'idle-kept', label: 'share (kept)', said: 'Copy the link; this snapshot is already kept.' }
      : {
          state: 'idle',
          label: 'share',
          said: 'Copy the link, and keep this snapshot whatever the retention policy says, so the link keeps working',
        };
  if (!answer.copied)
    return { state: 'failed', label: 'copy failed', said: 'Copy failed: select the link’s text and copy it.' };
  return answer.pinned
    ? { state: 'copied-kept', label: '✓ copied', said: 'link copied, snapshot kept' }
    : {
        state: 'copied-not-kept',
        label: '✓ copied ⚠',
        said: `link copied, but the snapshot is not kept${answer.why ? `: ${answer.why}` : ''}`,
      };
}
