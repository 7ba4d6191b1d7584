import { expect, test } from '@playwright/test';
import { seedBroken } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

/** Frames this far apart are what a loaded machine or a big graph gives: longer than the camera's rest (250 ms). */
const FRAME_GAP_MS = 258;

test('the permalink names where the camera came to rest, never a view it passed through on the way', async ({
  page,
}) => {
  await page.addInitScript((gap) => {
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => {
      setTimeout(() => raf(cb), gap);
      return 0;
    };
    // Every view the dashboard writes into the URL, in order.
    const written: string[] = [];
    (window as unknown as { __written: string[] }).__written = written;
    for (const how of ['pushState', 'replaceState'] as const) {
      const write = history[how].bind(history);
      history[how] = (data: unknown, unused: string, url?: string | URL | null) => {
        const c = url == null ? null : new URL(String(url), location.href).searchParams.get('c');
        if (c !== null && written.at(-1) !== c) written.push(c);
        write(data, unused, url);
      };
    }
  }, FRAME_GAP_MS);
  const id = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  // A view of the user's own first, so the camera has somewhere to come from.
  await dash.graph.focus();
  await page.keyboard.press('+');
  const before = new URL(await dash.waitForPermalink()).searchParams.get('c');
  expect(before).not.toBeNull();
  const writtenBefore = await page.evaluate(() => (window as unknown as { __written: string[] }).__written.length);

  const start = (await dash.viewport())!;
  await dash.finding('mac-mismatch-across-tunnel').getByRole('button', { name: 'show' }).click();
  const after = new URL(await dash.waitForPermalink()).searchParams.get('c');
  const end = (await dash.viewport())!;
  // The camera did move (so there were views on the way)…
  expect(Math.hypot(end.x - start.x, end.y - start.y)).toBeGreaterThan(20);
  expect(after).not.toBe(before);
  // …and the URL went from where it was straight to where the camera stopped.
  const written = await page.evaluate(() => (window as unknown as { __written: string[] }).__written);
  expect(written.slice(writtenBefore)).toEqual([after]);
});
