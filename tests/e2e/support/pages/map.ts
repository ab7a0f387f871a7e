// `/map`: this cluster in the middle, a node per peer around it, and the same data as a table.
import { Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';

export class MapPage extends ConsolePage {
  async goto(cluster: Cluster): Promise<this> {
    return this.open(cluster, 'map');
  }

  /** The drawing (an SVG group named "Map of this cluster's peerings: N peers"). */
  get map(): Locator {
    return this.page.getByRole('group', { name: /^Map of this cluster's peerings/ });
  }

  /** A peer's node: a link named "dc2, Active, 1 imported, 1 exported…". */
  node(peer: string): Locator {
    return this.map.getByRole('link', { name: new RegExp(`^${peer}, `) });
  }

  /** The arrowhead drawn on the link to a peer that local services fail over to. */
  failoverArrow(peer: string): Locator {
    return this.map.locator(`polygon[data-failover-to="${peer}"]`);
  }

  /** Every peer node, in the map's order (unhealthy first). */
  get nodes(): Locator {
    return this.map.getByRole('link');
  }

  /** The "and N more Active" node of a group. */
  more(group: string): Locator {
    return this.map.getByRole('button', { name: new RegExp(`^and \\d+ more ${group}`) });
  }

  fewer(group: string): Locator {
    return this.map.getByRole('button', { name: `Show fewer ${group}` });
  }

  get refresh(): Locator {
    return this.page.getByRole('button', { name: 'Refresh' });
  }

  /** Opens the table of the same data. */
  async openTable(): Promise<Locator> {
    await this.page.getByText(/^The same data as a table/).click();
    return this.table;
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Peerings on the map' });
  }
}
