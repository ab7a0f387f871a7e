// What every page of the console shares: the header (datacenter, sign-in), the main navigation,
// alerts with Retry, and the sign-in dialog.
import { expect, Locator, Page } from '@playwright/test';
import { Cluster } from '../cluster';

export class ConsolePage {
  constructor(readonly page: Page) {}

  /** Opens `route` of `cluster`'s console (e.g. 'peers?q=x'). */
  async open(cluster: Cluster, route: string): Promise<this> {
    await this.page.goto(cluster.ui(route));
    return this;
  }

  /** A heading by its text, of any level unless `level` is given. */
  heading(name: string | RegExp, level?: number): Locator {
    return this.page.getByRole('heading', { level, name });
  }

  /** A link of the main navigation (Peers, Intentions, Exports). */
  nav(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  }

  /** The alerts on the page, or the one that says `hasText`. */
  alert(hasText?: string | RegExp): Locator {
    const alerts = this.page.getByRole('alert');
    return hasText === undefined ? alerts : alerts.filter({ hasText });
  }

  /** Clicks Retry in the alert that says `hasText` (the only alert without it). */
  async retry(hasText?: string | RegExp): Promise<void> {
    await this.alert(hasText).getByRole('button', { name: 'Retry' }).click();
  }

  /** The open confirmation dialog. */
  get alertDialog(): Locator {
    return this.page.getByRole('alertdialog');
  }

  /** Answers the open confirmation dialog with `button` ('Delete peering', 'Delete', 'Cancel'). */
  async confirm(button: string): Promise<void> {
    await this.alertDialog.getByRole('button', { name: button, exact: true }).click();
  }

  /** From an alert that explains a denial: sign in with another token (the dialog opens). */
  async signInFromAlert(hasText?: string | RegExp): Promise<void> {
    await this.alert(hasText).getByRole('button', { name: 'Sign in with another token' }).click();
  }

  get datacenter(): Locator {
    return this.page.getByTestId('datacenter');
  }

  get signedIn(): Locator {
    return this.page.getByTestId('signed-in');
  }

  get signInButton(): Locator {
    return this.page.getByRole('button', { name: 'Sign in', exact: true }).first();
  }

  get signOutButton(): Locator {
    return this.page.getByRole('button', { name: 'Sign out' });
  }

  get signInDialog(): SignInDialog {
    return new SignInDialog(this.page);
  }

  /** The header's Sign in, typed as a person does: the field has focus, Enter submits. */
  async signIn(secret: string, { remember = false } = {}): Promise<void> {
    await this.signInButton.click();
    const dialog = this.signInDialog;
    await expect(dialog.token).toBeFocused();
    await this.page.keyboard.type(secret);
    if (remember) {
      await dialog.remember.check();
      await dialog.submit.click();
    } else {
      await this.page.keyboard.press('Enter');
    }
    await expect(dialog.root).toHaveCount(0);
  }
}

export class SignInDialog {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByRole('dialog', { name: 'Sign in with an ACL token' });
  }

  get token(): Locator {
    return this.root.getByLabel('ACL token (SecretID)');
  }

  get remember(): Locator {
    return this.root.getByLabel('Remember on this browser');
  }

  get show(): Locator {
    return this.root.getByRole('button', { name: 'Show' });
  }

  get submit(): Locator {
    return this.root.getByRole('button', { name: 'Sign in', exact: true });
  }

  get error(): Locator {
    return this.root.getByRole('alert');
  }
}

/** The values a field's datalist suggests (the options of the datalist its `list` attribute names). */
export async function suggestions(field: Locator): Promise<string[]> {
  const list = await field.getAttribute('list');
  if (!list) return [];
  return field.page().locator(`datalist[id="${list}"] option`).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
}
