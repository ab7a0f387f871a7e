// The two checklists: `/peers/:name/exported/:service` ("Why can't the peer see my service?") and
// `/peers/:name/imported/:service` ("Why can't my service call theirs?").
import { Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';

export class ChecklistPage extends ConsolePage {
  async gotoExport(cluster: Cluster, peer: string, service: string): Promise<this> {
    return this.open(cluster, `peers/${peer}/exported/${service}`);
  }

  async gotoImport(cluster: Cluster, peer: string, service: string): Promise<this> {
    return this.open(cluster, `peers/${peer}/imported/${service}`);
  }

  get lines(): Locator {
    return this.page.locator('ol.checklist > li');
  }

  /** The line whose title starts with `title` (e.g. 'web is exported to dc2'). */
  line(title: string | RegExp): Locator {
    return this.lines.filter({ has: this.page.locator('.check-title', { hasText: title }) });
  }

  /** Each line's status, in order: 'pass', 'fail' or 'unknown'. */
  async statuses(): Promise<string[]> {
    return this.lines.evaluateAll((items) => items.map((li) => li.getAttribute('data-status') ?? ''));
  }

  get checkAgain(): Locator {
    return this.page.getByRole('button', { name: 'Check again' });
  }
}
