import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceNetnsSkips, netnsSuites } from './requireNetns.ts';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

describe('netns suites', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds every test file that builds namespaces, whatever its name', () => {
    const suites = netnsSuites(ROOT, ['packages', 'apps', 'bench']);
    expect(suites).toContain('packages/lab/test/agreement.netns.test.ts');
    expect(suites).toContain('packages/collector/src/netlink/netlink.test.ts');
    expect(suites).toContain('apps/server/test/faults/crash.test.ts');
    expect(suites).not.toContain('packages/collector/src/testing/requireNetns.test.ts');
  });

  it('as a non-root user, warns with the list locally and fails in CI', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const suites = ['packages/lab/test/agreement.netns.test.ts', 'apps/server/test/collect.netns.test.ts'];
    announceNetnsSkips(suites, {});
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain('  - apps/server/test/collect.netns.test.ts');
    expect(() => announceNetnsSkips(suites, { CI: 'true' })).toThrow(/agreement\.netns\.test\.ts/);
  });

  it('says nothing as root', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(0);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    announceNetnsSkips(['x.test.ts'], { CI: 'true' });
    expect(warn).not.toHaveBeenCalled();
  });
});
