// The review before a config entry is written (every page that writes one shares it): the whole entry
// as JSON or HCL with the changed lines marked, the `consul config write` command, Save, and the
// conflict view when someone else changed the entry meanwhile.
import { Locator, Page } from '@playwright/test';

export class EntryReview {
  constructor(readonly page: Page) {}

  get json(): Locator {
    return this.page.getByLabel('The entry as JSON');
  }

  get hcl(): Locator {
    return this.page.getByLabel('The entry as HCL');
  }

  /** Lines the change adds (in the JSON, or `within` a conflict view), or those that say `hasText`. */
  added(hasText?: string | RegExp, within: Locator = this.json): Locator {
    const lines = within.locator('.added');
    return hasText === undefined ? lines : lines.filter({ hasText });
  }

  /** Lines the change removes (in the JSON, or `within` a conflict view), or those that say `hasText`. */
  removed(hasText?: string | RegExp, within: Locator = this.json): Locator {
    const lines = within.locator('.removed');
    return hasText === undefined ? lines : lines.filter({ hasText });
  }

  /** Lines the change keeps. */
  get unchanged(): Locator {
    return this.json.locator('.same');
  }

  async showHcl(): Promise<void> {
    await this.page.getByRole('button', { name: 'HCL', exact: true }).click();
  }

  get writeCommand(): Locator {
    return this.page.getByTestId('write-command');
  }

  get saveButton(): Locator {
    return this.page.getByRole('button', { name: 'Save', exact: true });
  }

  async save(): Promise<void> {
    await this.saveButton.click();
  }

  /** The conflict view (an alert that says `hasText`), its diff marked like the review's. */
  conflict(hasText: string | RegExp): Locator {
    return this.page.getByRole('alert').filter({ hasText });
  }

  /** From the conflict view: the same change on the latest version, reviewed again. */
  async reapply(conflict: Locator): Promise<void> {
    await conflict.getByRole('button', { name: 'Reapply my change on the latest version' }).click();
  }
}

/** The review of a change the page describes in words ("Review: export api to dc2", "Saved: …."):
 *  exports, failover and the gateway settings. */
export class ChangeReview extends EntryReview {
  /** 'Review: export api to dc2' */
  reviewHeading(change: string): Locator {
    return this.page.getByRole('heading', { name: `Review: ${change}` });
  }

  /** 'Saved: export api to dc2.' */
  saved(change: string): Locator {
    return this.page.getByText(`Saved: ${change}.`);
  }
}

/** The exports review (on /exports and on a peer's Exported services tab). */
export class ExportsReview extends ChangeReview {}
