// `/intentions` (the list, its filters and "Can it talk?") and the intention editor
// (`/intentions/new`, `/intentions/:destination/edit`).
import { expect, Locator } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';
import { EntryReview } from './review';

export class IntentionsPage extends ConsolePage {
  async goto(cluster: Cluster, query = ''): Promise<this> {
    return this.open(cluster, `intentions${query}`);
  }

  get empty(): Locator {
    return this.page.getByText('No intentions yet');
  }

  get newIntention(): Locator {
    return this.page.getByRole('link', { name: 'New intention' });
  }

  /** A rule's edit link, e.g. ruleLink(/Edit rule web \(peer dc2\) to api/). */
  ruleLink(name: string | RegExp): Locator {
    return this.page.getByRole('link', { name });
  }

  /** Opens a rule in the editor from its row. */
  async openRule(name: string | RegExp): Promise<IntentionEditor> {
    await this.ruleLink(name).click();
    const editor = new IntentionEditor(this.page);
    await expect(editor.heading(/^Edit rule/, 1)).toBeVisible();
    return editor;
  }

  get rows(): Locator {
    return this.page.locator('tbody tr');
  }

  /** A rule's row: from `source` (of `peer`, when given) to `destination`. */
  row(rule: { destination?: string; source?: string; peer?: string }): Locator {
    const attrs = Object.entries(rule).map(([k, v]) => `[data-${k}="${v}"]`).join('');
    return this.page.locator(`tr${attrs}`);
  }

  /** The Action cell of a rule's row. */
  action(rule: { destination?: string; source?: string; peer?: string }): Locator {
    return this.row(rule).locator('td.action');
  }

  get filters(): Locator {
    return this.page.getByRole('search');
  }

  /** A filter by its label: 'Source peer', 'Destination', 'Action'. */
  filter(label: string): Locator {
    return this.filters.getByLabel(label);
  }

  get search(): Locator {
    return this.filters.getByRole('searchbox', { name: 'Search' });
  }

  /** What the editor came back with: 'Saved web (peer dc2) → api.' */
  notice(text: string): Locator {
    return this.page.getByText(text);
  }

  get talk(): CanItTalk {
    return new CanItTalk(this.page.getByRole('region', { name: 'Can it talk?' }));
  }
}

/** "Can it talk?": a source (peer and service) and a destination, and Consul's decision. */
export class CanItTalk {
  constructor(readonly root: Locator) {}

  get peer(): Locator {
    return this.root.getByLabel('Source peer');
  }

  get source(): Locator {
    return this.root.getByLabel('Source service');
  }

  get destination(): Locator {
    return this.root.getByLabel('Destination service');
  }

  get answer(): Locator {
    return this.root.getByTestId('talk-answer');
  }

  async ask(q: { peer?: string; source?: string; destination?: string }): Promise<void> {
    if (q.peer !== undefined) await this.peer.fill(q.peer);
    if (q.source !== undefined) await this.source.fill(q.source);
    if (q.destination !== undefined) await this.destination.fill(q.destination);
  }
}

export class IntentionEditor extends ConsolePage {
  readonly review = new EntryReview(this.page);

  async gotoNew(cluster: Cluster, query = ''): Promise<this> {
    return this.open(cluster, `intentions/new${query}`);
  }

  /** Deep link to a rule: gotoRule(cluster, 'api', 'peer=dc2&source=web'). */
  async gotoRule(cluster: Cluster, destination: string, query: string): Promise<this> {
    return this.open(cluster, `intentions/${destination}/edit?${query}`);
  }

  get destination(): Locator {
    return this.page.getByLabel('Destination service');
  }

  get peer(): Locator {
    return this.page.getByLabel('Source peer');
  }

  get source(): Locator {
    return this.page.getByLabel('Source service');
  }

  get description(): Locator {
    return this.page.getByLabel('Description');
  }

  get allow(): Locator {
    return this.page.getByLabel('allow', { exact: true });
  }

  get deny(): Locator {
    return this.page.getByLabel('deny', { exact: true });
  }

  /** Consul's (or the form's) message under a field: 'destination', 'peer', 'source'. */
  fieldError(field: 'destination' | 'peer' | 'source'): Locator {
    return this.page.locator(`#ix-${field}-error`);
  }

  /** The read-only list of a rule's L7 permissions. */
  get permissions(): Locator {
    return this.page.getByRole('region', { name: 'L7 permissions (read-only)' });
  }

  get reviewButton(): Locator {
    return this.page.getByRole('button', { name: 'Review changes' });
  }

  async reviewChanges(): Promise<void> {
    await this.reviewButton.click();
  }

  /** Review, then Save. */
  async reviewAndSave(): Promise<void> {
    await this.reviewChanges();
    await this.review.save();
  }

  async backToForm(): Promise<void> {
    await this.page.getByRole('button', { name: 'Back to the form' }).click();
  }

  get deleteButton(): Locator {
    return this.page.getByRole('button', { name: 'Delete rule' });
  }

  /** Fills a new rule's fields (those given). */
  async fill(rule: { destination?: string; peer?: string; source?: string; description?: string }): Promise<void> {
    if (rule.destination !== undefined) await this.destination.fill(rule.destination);
    if (rule.peer !== undefined) await this.peer.fill(rule.peer);
    if (rule.source !== undefined) await this.source.fill(rule.source);
    if (rule.description !== undefined) await this.description.fill(rule.description);
  }
}
