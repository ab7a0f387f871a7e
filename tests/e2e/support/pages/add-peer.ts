// `/add-peer`: "Add peer connection", with its two tabs: generate a token, or establish with one.
import { expect, Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';

export class AddPeerPage extends ConsolePage {
  async goto(cluster: Cluster, query = ''): Promise<this> {
    return this.open(cluster, `add-peer${query}`);
  }

  get generateTab(): Locator {
    return this.page.getByRole('tab', { name: 'Generate token' });
  }

  get establishTab(): Locator {
    return this.page.getByRole('tab', { name: 'Establish peering' });
  }

  // ---- Generate token

  /** The generate form's name field (the establish form has its own, see establishName). */
  get name(): Locator {
    return this.page.getByLabel('Name of peer').first();
  }

  get addresses(): Locator {
    return this.page.getByLabel('Server external addresses (optional)');
  }

  get addMetaPair(): Locator {
    return this.page.getByRole('button', { name: 'Add meta pair' }).first();
  }

  metaKey(n: number): Locator {
    return this.page.getByLabel(`Meta key ${n}`).first();
  }

  metaValue(n: number): Locator {
    return this.page.getByLabel(`Meta value ${n}`).first();
  }

  get generateButton(): Locator {
    return this.page.getByRole('button', { name: 'Generate token' }).last();
  }

  /** The generated token, shown once. */
  get token(): Locator {
    return this.page.getByRole('textbox', { name: 'Peering token' });
  }

  get copyButton(): Locator {
    return this.page.getByRole('button', { name: 'Copy peering token' });
  }

  get copied(): Locator {
    return this.page.getByText('Copied', { exact: true });
  }

  viewPeering(peer: string): Locator {
    return this.page.getByRole('link', { name: `View peering ${peer}` });
  }

  get generateAnother(): Locator {
    return this.page.getByRole('button', { name: 'Generate another token', exact: true });
  }

  /**
   * Types the name, generates, and returns the token as shown on screen. The token replaces the
   * form: the name field and the Generate button are gone, so nothing can re-key it by accident.
   */
  async generate(peer: string): Promise<string> {
    await this.name.fill(peer);
    await this.generateButton.click();
    await expect(this.token).toBeVisible();
    await expect(this.page.getByLabel('Name of peer', { exact: true })).toBeHidden();
    await expect(this.page.getByRole('button', { name: 'Generate token', exact: true })).toBeHidden();
    return this.token.inputValue();
  }

  // ---- Establish peering

  get establishForm(): Locator {
    return this.page.getByRole('tabpanel').filter({ has: this.page.getByLabel('Peering token') });
  }

  get establishName(): Locator {
    return this.establishForm.getByLabel('Name of peer');
  }

  get establishToken(): Locator {
    return this.establishForm.getByLabel('Peering token');
  }

  /** What the pasted token points to, decoded in the browser. */
  get tokenPreview(): Locator {
    return this.establishForm.getByLabel('What this token points to');
  }

  get establishButton(): Locator {
    return this.establishForm.getByRole('button', { name: 'Establish peering' });
  }

  /** Opens the Establish tab, fills the name and the token, and submits. */
  async establish(peer: string, token: string): Promise<void> {
    await this.establishTab.click();
    await this.establishName.fill(peer);
    await this.establishToken.fill(token);
    await this.establishButton.click();
  }
}
