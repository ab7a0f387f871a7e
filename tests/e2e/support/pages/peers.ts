// `/peers`: the list of peerings, with search, state filter, sort, pages, and per-row actions.
import { expect, Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';
import { GatewaysPage } from './gateways';

export class PeersPage extends ConsolePage {
  async goto(cluster: Cluster, query = ''): Promise<this> {
    return this.open(cluster, `peers${query}`);
  }

  get empty(): Locator {
    return this.page.getByText('No peer connections yet');
  }

  get noMatch(): Locator {
    return this.page.getByText('No peering matches this search or filter.');
  }

  /** "3 peerings", "1 of 3 peerings" */
  count(text: string): Locator {
    return this.page.getByText(text);
  }

  get search(): Locator {
    return this.page.getByLabel('Search peers');
  }

  get sort(): Locator {
    return this.page.getByLabel('Sort peers');
  }

  get stateFilter(): Locator {
    return this.page.getByLabel('Filter by state');
  }

  get rows(): Locator {
    return this.page.locator('tbody tr');
  }

  /** The first cell of every row, in order. */
  get names(): Locator {
    return this.page.locator('tbody tr td:first-child');
  }

  get pager(): Locator {
    return this.page.getByRole('navigation', { name: 'Pages' });
  }

  get addPeer(): Locator {
    return this.page.getByRole('link', { name: 'Add peer connection' }).first();
  }

  row(peer: string): Locator {
    return this.page.getByRole('row', { name: new RegExp(peer) });
  }

  /** The state badge of a row, e.g. state('dc2', 'Active'). */
  state(peer: string, state: string): Locator {
    return this.row(peer).locator(`[data-state="${state}"]`);
  }

  link(peer: string): Locator {
    return this.row(peer).getByRole('link', { name: peer });
  }

  deleteButton(peer: string): Locator {
    return this.row(peer).getByRole('button', { name: `Delete ${peer}` });
  }

  regenerateLink(peer: string): Locator {
    return this.row(peer).getByRole('link', { name: 'Regenerate token' });
  }

  deleteDialog(peer: string): Locator {
    return this.page.getByRole('alertdialog', { name: `Delete peering "${peer}"?` });
  }

  /** Clicks the row's Delete; the confirmation dialog opens. */
  async askToDelete(peer: string): Promise<Locator> {
    await this.deleteButton(peer).click();
    return this.deleteDialog(peer);
  }

  /** The warning that peering traffic has no healthy mesh gateway, with its link to Gateways. */
  get gatewayWarning(): Locator {
    return this.page.getByTestId('gateway-warning');
  }

  /** Follows the warning's "See gateways": the Gateways page replaces the list. */
  async seeGateways(): Promise<GatewaysPage> {
    await this.gatewayWarning.getByRole('link', { name: 'See gateways', exact: true }).click();
    const gateways = new GatewaysPage(this.page);
    await expect(gateways.title).toBeVisible();
    await expect(this.heading('Peers', 1)).toBeHidden();
    return gateways;
  }
}
