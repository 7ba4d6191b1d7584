/**
 * How Debian's Chromium is launched everywhere hoplens drives a browser (tests, screenshots, the
 * browser benchmark): nothing is downloaded, ever, and nothing phones home.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.HOPLENS_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
