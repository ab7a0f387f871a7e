// `/gateways`: the mesh entry's PeerThroughMeshGateways, the global proxy-defaults' mesh gateway
// mode, this cluster's mesh gateways, and the warning when peering traffic has no healthy gateway.
import { expect, Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';
import { ChangeReview } from './review';

export class GatewaysPage extends ConsolePage {
  readonly review = new ChangeReview(this.page);

  async goto(cluster: Cluster): Promise<this> {
    return this.open(cluster, 'gateways');
  }

  get title(): Locator {
    return this.heading('Gateways', 1);
  }

  /** The warning that peering traffic has no healthy mesh gateway (also on the peers list). */
  get warning(): Locator {
    return this.page.getByTestId('gateway-warning');
  }

  // ---- Peering through mesh gateways

  /** PeerThroughMeshGateways as the page reads it: 'On' or 'Off'. */
  get peerThrough(): Locator {
    return this.page.getByTestId('peer-through');
  }

  /** What a new peering token carries (the servers' addresses, or the mesh gateways'). */
  get tokenContents(): Locator {
    return this.page.getByTestId('token-contents');
  }

  /** The button that turns peering through mesh gateways on (`on`) or off. */
  peerThroughButton(on: boolean): Locator {
    const name = `Turn ${on ? 'on' : 'off'} peering through mesh gateways`;
    return this.page.getByRole('button', { name, exact: true });
  }

  /** Asks to turn peering through mesh gateways on (or off): the review takes the settings' place. */
  async reviewPeerThrough(on: boolean): Promise<void> {
    await this.peerThroughButton(on).click();
    const change = on
      ? 'send peering control-plane traffic through mesh gateways'
      : 'send peering control-plane traffic straight to the servers';
    await expect(this.review.reviewHeading(change)).toBeVisible();
    await expect(this.peerThroughButton(on)).toBeHidden();
  }

  // ---- Mesh gateway mode

  /** The global proxy-defaults' MeshGateway.Mode as the page reads it. */
  get mode(): Locator {
    return this.page.getByTestId('gateway-mode');
  }

  // ---- The mesh gateways of this cluster

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Mesh gateways' });
  }

  /** A gateway instance's row, by its exact instance ID (e.g. 'mesh-gateway'). */
  row(instance: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell', { name: instance, exact: true }) });
  }

  /** Shown instead of the table when Consul hides services from the token. */
  get noneVisible(): Locator {
    return this.page.getByText('No mesh gateway that your token may see');
  }
}
