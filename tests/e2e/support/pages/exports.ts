// `/exports`: every exported service with the peers that may import it, editable per row, filtered
// by service and by peer, and a form to export a service.
import { Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';
import { ExportsReview } from './review';

export class ExportsPage extends ConsolePage {
  readonly review = new ExportsReview(this.page);

  async goto(cluster: Cluster, query = ''): Promise<this> {
    return this.open(cluster, `exports${query}`);
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Exported services' });
  }

  /** The row of a service. */
  row(service: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell', { name: service, exact: true }) });
  }

  /** The row's field for another peer. */
  peerField(service: string): Locator {
    return this.row(service).getByLabel(`Peer to export ${service} to`);
  }

  /** Types a peer in the service's row and asks to export to it (the review opens, or a problem shows). */
  async exportTo(service: string, peer: string): Promise<void> {
    await this.peerField(service).fill(peer);
    await this.row(service).getByRole('button', { name: `Export ${service} to this peer` }).click();
  }

  stopButton(service: string, peer: string): Locator {
    return this.row(service).getByRole('button', { name: `Stop exporting ${service} to ${peer}` });
  }

  get filters(): Locator {
    return this.page.getByRole('search', { name: 'Filter exports' });
  }

  /** The filters: service name contains…, and peer. */
  get serviceFilter(): Locator {
    return this.filters.getByLabel('Service');
  }

  get peerFilter(): Locator {
    return this.filters.getByLabel('Peer');
  }

  /** "1 of 2 exported services" */
  count(text: string): Locator {
    return this.page.getByText(text);
  }

  /** The form that exports a service not listed yet: its fields and its Review export. */
  get form(): Locator {
    return this.page.getByRole('form', { name: 'Export a service' });
  }

  get formService(): Locator {
    return this.form.getByLabel('Service');
  }

  get formPeer(): Locator {
    return this.form.getByLabel('Peer');
  }

  async reviewNewExport(): Promise<void> {
    await this.form.getByRole('button', { name: 'Review export' }).click();
  }

  get reviewButton(): Locator {
    return this.page.getByRole('button', { name: 'Review export' });
  }
}
