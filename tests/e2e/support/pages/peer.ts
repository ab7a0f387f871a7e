// `/peers/:name/<tab>`: one peering, its state, its panels (regenerate, delete) and its tabs, each
// a link to its own URL: imported services, exported services (an exports editor for this peer),
// server addresses, intentions from this peer, failover.
import { Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';
import { PeerFailover } from './failover';
import { ExportsReview } from './review';

/** The path segment of each tab, in the tab bar's order (src/routes/mod.rs `PeerTab`). */
export const PEER_TABS = ['imported-services', 'exported-services', 'addresses', 'intentions', 'failover'] as const;
export type PeerTabPath = (typeof PEER_TABS)[number];

export class PeerPage extends ConsolePage {
  /** `/peers/:name[query]`, which replaces itself with its first tab. */
  async goto(cluster: Cluster, peer: string, query = ''): Promise<this> {
    return this.open(cluster, `peers/${peer}${query}`);
  }

  /** A tab's own URL, e.g. gotoTab(cluster, 'dc2', 'exported-services'). */
  async gotoTab(cluster: Cluster, peer: string, tab: PeerTabPath, query = ''): Promise<this> {
    return this.open(cluster, `peers/${peer}/${tab}${query}`);
  }

  /** The state badge of the page's state line, e.g. state('Active'). */
  state(state: string): Locator {
    return this.page.locator(`.state-line [data-state="${state}"]`);
  }

  notFound(peer = ''): Locator {
    return peer ? this.heading(`No peering named ${peer}`) : this.page.getByText('No peering named');
  }

  get allPeers(): Locator {
    return this.page.getByRole('link', { name: 'All peers' });
  }

  // ---- Tabs

  /** A tab by its label, counts included ('Imported services (1)') or not (/^Exported services/). */
  tab(name: string | RegExp): Locator {
    return this.page.getByRole('tab', { name });
  }

  /** Every tab, in order. */
  get tabs(): Locator {
    return this.page.getByRole('tablist', { name: 'Peering details' }).getByRole('tab');
  }

  /** The tab that is selected. */
  get selectedTab(): Locator {
    return this.page.locator('[role="tab"][aria-selected="true"]');
  }

  async openTab(name: string | RegExp): Promise<void> {
    await this.tab(name).click();
  }

  get importedTable(): Locator {
    return this.page.getByRole('table', { name: 'Imported services' });
  }

  /** A service's row cell in the imported services tab. */
  imported(service: string): Locator {
    return this.importedTable.getByRole('cell', { name: service, exact: true });
  }

  get intentions(): Locator {
    return this.page.getByRole('region', { name: 'Intentions from this peer' });
  }

  /** The "Exported services" tab: what this cluster exports to the peer. */
  exportsTo(peer: string): PeerExports {
    return new PeerExports(this.page, peer);
  }

  /** The "Failover" tab: the services of this cluster that fail over or redirect to the peer. */
  failoverTo(peer: string): PeerFailover {
    return new PeerFailover(this.page, peer);
  }

  // ---- Regenerate and delete

  get regenerateButton(): Locator {
    return this.page.getByRole('button', { name: 'Regenerate token' });
  }

  get regeneratePanel(): Locator {
    return this.page.getByRole('region', { name: 'Regenerate token' });
  }

  /** Generates the new token in the open Regenerate panel and returns it as shown. */
  async generateNewToken(): Promise<string> {
    await this.page.getByRole('button', { name: 'Generate new token' }).click();
    return this.token.inputValue();
  }

  get token(): Locator {
    return this.page.getByRole('textbox', { name: 'Peering token' });
  }

  get deleteButton(): Locator {
    return this.page.getByRole('button', { name: 'Delete' });
  }

  /** In the delete confirmation: what names this peer (intentions, exports, failover, redirects). */
  get deleteImpact(): Locator {
    return this.page.getByTestId('delete-impact');
  }

  /** The impact's link about `what`, e.g. 'Failover of api' (its name: "Failover of api: target 1 finds nothing"). */
  impactLink(what: string): Locator {
    const escaped = what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.deleteImpact.getByRole('link', { name: new RegExp(`^${escaped}: `) });
  }

  get reestablishLink(): Locator {
    return this.page.getByRole('link', { name: 'Re-establish with a new token' });
  }
}

/** The peer page's "Exported services" tab. */
export class PeerExports extends ExportsReview {
  constructor(page: PeerPage['page'], readonly peer: string) {
    super(page);
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { name: `What this cluster exports to ${this.peer}` });
  }

  get service(): Locator {
    return this.page.getByLabel(`Export a service to ${this.peer}`);
  }

  get reviewButton(): Locator {
    return this.page.getByRole('button', { name: 'Review export' });
  }

  get nothing(): Locator {
    return this.page.getByText(`Nothing is exported to ${this.peer} yet`);
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: `Services exported to ${this.peer}` });
  }

  exported(service: string): Locator {
    return this.table.getByRole('cell', { name: service, exact: true });
  }

  /** Types a service and asks for the review. */
  async reviewExport(service: string): Promise<void> {
    await this.service.fill(service);
    await this.reviewButton.click();
  }

  async stopExporting(service: string): Promise<void> {
    await this.page.getByRole('button', { name: `Stop exporting ${service} to ${this.peer}` }).click();
  }
}
