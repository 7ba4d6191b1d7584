import { describe, expect, it } from 'vitest';
import { importErrorText, MAX_DETAIL } from './importError.ts';

const answer = (status: number, message: string) => ({ kind: 'answer' as const, status, message });

describe('importErrorText', () => {
  it('names the file, says a truncated gzip is cut short and what to do, with the server detail', () => {
    const t = importErrorText(
      'lab.json.gz',
      answer(400, 'the gzip body is truncated or corrupt: unexpected end of file'),
    );
    expect(t.title).toBe('Could not import “lab.json.gz”');
    expect(t.what).toContain('cut short or damaged');
    expect(t.todo).toContain('gzip -t');
    expect(t.detail).toBe('the gzip body is truncated or corrupt: unexpected end of file');
  });

  it('says an empty file is empty, not JSON cut short', () => {
    const t = importErrorText('empty.json.gz', { kind: 'empty' });
    expect(t.what).toBe(
      'The file is empty (0 bytes), as when a download or copy did not finish or another file was picked.',
    );
    expect(t.detail).toBeUndefined();
  });

  it('does not blame the file for the server’s own failure', () => {
    const t = importErrorText('synth.json.gz', answer(500, 'internal error'));
    expect(t.what).toBe('The server failed while importing it (500); the file may well be fine.');
    expect(t.todo).not.toContain('Pick a snapshot');
    expect(t.detail).toBe('internal error');
    expect(importErrorText('x.json', answer(415, 'unsupported')).what).toBe('The server refused it (415).');
  });

  it('says a full disk is the server’s to fix before importing again', () => {
    const t = importErrorText('synth.json.gz', answer(507, 'the disk is full: snapshot x was not stored'));
    expect(t.what).toContain('disk is full');
    expect(t.todo).toMatch(/^Free space .* then import it again\.$/);
  });

  it('tells a text file (not JSON) from JSON that stops before its end', () => {
    const text = importErrorText(
      'notes.txt',
      answer(400, `body is not valid JSON: Unexpected token 'h', "hello" is not valid JSON`),
    );
    expect(text.what).toBe('The file is not JSON, so it is not a hoplens snapshot or dump.');
    const cut = importErrorText('a.json', answer(400, 'body is not valid JSON: Unexpected end of JSON input'));
    expect(cut.what).toContain('stops before its end');
    const unterminated = importErrorText(
      'a.json',
      answer(400, 'body is not valid JSON: Unterminated string in JSON at position 9'),
    );
    expect(unterminated.what).toContain('stops before its end');
  });

  it('says a schema error is JSON but not a snapshot, and a changed file cannot replace a stored one', () => {
    expect(importErrorText('x.json', answer(422, 'snapshot: /hosts must be array')).what).toContain(
      'not a hoplens snapshot or dump',
    );
    const tampered = importErrorText(
      'x.json',
      answer(409, 'snapshot abc exists with other contents; snapshots are immutable'),
    );
    expect(tampered.what).toContain('changed after it was exported');
  });

  it('bounds the server detail, and says when the server is away', () => {
    const long = importErrorText('x.json', answer(422, 'e'.repeat(5000)));
    expect(long.detail?.length).toBe(MAX_DETAIL);
    expect(long.detail?.endsWith('…')).toBe(true);
    const away = importErrorText('x.json', { kind: 'unreachable' });
    expect([away.what, away.detail]).toEqual(['The hoplens server did not answer.', undefined]);
  });
});
