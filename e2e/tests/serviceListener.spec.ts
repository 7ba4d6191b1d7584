import { expect, test } from '@playwright/test';
import recorded from '@hoplens/model/fixtures/service-listener.snapshot.json' with { type: 'json' };
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

const CLIENT = 'node-a/hl-slsn-na-p2';
const SERVICE = 'default/web:p80';
const SILENT = '10.244.2.3:8080';
const SILENT_NS = 'ns:node-b/hl-slsn-nb-p3';
const SERVING_NS = 'ns:node-b/hl-slsn-nb-p2';

test('a Service endpoint whose server is not running is refused in the path, and its namespace lists no listener', async ({
  page,
}) => {
  // Recorded from the service-listener lab (scripts/record-service-listener.sh): kube-proxy picks one
  // of three endpoints; the servers of 10.244.2.3 were never started.
  const id = await importSnapshot(page.request, recorded);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${encodeURIComponent(CLIENT)}&to=node`);
  await dash.waitForGraph();
  await dash.traceToService('web', SERVICE);

  const branches = page.getByTestId('branch');
  await expect(branches).toHaveCount(3);
  await expect(branches.filter({ hasText: SILENT })).toHaveAttribute('data-verdict', 'dropped');
  await expect(page.getByTestId('path-stop')).toContainText(
    `connection refused: nothing listens on ${SILENT}/tcp in node-b/hl-slsn-nb-p3`,
  );
  await expect(page.getByTestId('drop-reason')).toContainText('NO_SOCKET');

  // A reachable endpoint's path ends at the socket that takes the connection.
  await branches.filter({ hasText: '10.244.2.2:8080' }).getByRole('button').click();
  await expect(page.locator('[data-testid="hop"][data-component="local-delivery"]').first()).toContainText(
    'to the socket listening on tcp 0.0.0.0:8080',
  );

  // The namespaces' details: what listens there, and the finding on the silent one.
  await dash.goto(`/s/${id}?sel=${encodeURIComponent(SILENT_NS)}`);
  const details = page.getByTestId('element-details');
  await expect(details).toContainText('listeningnothing');
  await expect(details).toContainText('service-endpoint-no-listener');
  await dash.goto(`/s/${id}?sel=${encodeURIComponent(SERVING_NS)}`);
  await expect(details).toContainText('udp 0.0.0.0:5353, tcp 0.0.0.0:8080');
});
