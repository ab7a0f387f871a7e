// `/failover[?service=&peer=]`: every service of this cluster that fails over or redirects to a
// peer (a card per service-resolver, its targets in order: move up, move down, remove; its
// redirect), the forms to add a failover target or a redirect, and the review of each change.
// A peer's Failover tab is the same section for that one peer (`PeerFailover`).
import { expect, Locator, Page } from '@playwright/test';
import { Cluster } from '../cluster';
import { ConsolePage } from './console';
import { ChangeReview } from './review';

/** What /failover and a peer's Failover tab share. */
abstract class FailoverSection extends ConsolePage {
  readonly review = new ChangeReview(this.page);

  /** Where the section is: the whole page, or the peer page's tab. */
  protected abstract get root(): Page | Locator;

  // ---- The cards: one per service that fails over or redirects to a peer

  /** The card of a service's resolver ("Failover of api"), matched exactly. */
  card(service: string): Locator {
    return this.root.getByRole('article', { name: `Failover of ${service}`, exact: true });
  }

  /** The failover targets of a service, in order ('peer dc2', 'datacenter dc9', …). */
  targets(service: string): Locator {
    return this.card(service)
      .getByRole('list', { name: `Failover targets of ${service}`, exact: true })
      .getByRole('listitem');
  }

  // A target's buttons are named by its row: the peer ('dc2'), or, when another target of the
  // list names the same peer, the peer and what else it asks for ('dc2 (api-v2)').

  moveUpButton(service: string, target: string): Locator {
    return this.card(service).getByRole('button', { name: `Move ${target} up`, exact: true });
  }

  moveDownButton(service: string, target: string): Locator {
    return this.card(service).getByRole('button', { name: `Move ${target} down`, exact: true });
  }

  removeButton(service: string, target: string): Locator {
    return this.card(service).getByRole('button', { name: `Remove ${target}`, exact: true });
  }

  removeRedirectButton(service: string): Locator {
    return this.card(service).getByRole('button', { name: `Remove the redirect of ${service}`, exact: true });
  }

  /** Clicks a target's Remove: its review opens, in place of the cards and forms. Nothing is saved. */
  async askToRemove(service: string, target: string): Promise<void> {
    await this.removeButton(service, target).click();
    await expect(this.review.reviewHeading(`remove ${target} from the failover targets of ${service}`)).toBeVisible();
    await expect(this.card(service)).toBeHidden();
  }

  /** Removes a target from a service's failover targets and saves (the caller checks what remains:
   *  a row of the same name may remain when two targets were alike). */
  async removeTarget(service: string, target: string): Promise<void> {
    await this.askToRemove(service, target);
    await this.review.save();
    await expect(this.review.saved(`remove ${target} from the failover targets of ${service}`)).toBeVisible();
    await expect(this.review.saveButton).toBeHidden();
  }

  /** Moves a target one place earlier and saves. */
  async moveUp(service: string, target: string): Promise<void> {
    await this.moveUpButton(service, target).click();
    await expect(this.review.reviewHeading(`try ${target} earlier when ${service} fails over`)).toBeVisible();
    await this.review.save();
    await expect(this.review.saved(`try ${target} earlier when ${service} fails over`)).toBeVisible();
    await expect(this.review.saveButton).toBeHidden();
  }

  /** Removes a service's redirect and saves: the redirect is gone. */
  async removeRedirect(service: string): Promise<void> {
    await this.removeRedirectButton(service).click();
    await expect(this.review.reviewHeading(`remove the redirect of ${service}`)).toBeVisible();
    await this.review.save();
    await expect(this.review.saved(`remove the redirect of ${service}`)).toBeVisible();
    await expect(this.removeRedirectButton(service)).toBeHidden();
  }

  // ---- The two forms: add a failover target, redirect

  get addTargetForm(): Locator {
    return this.root.getByRole('form', { name: 'Add a failover target', exact: true });
  }

  get redirectForm(): Locator {
    return this.root.getByRole('form', { name: 'Redirect a service to a peer', exact: true });
  }

  /** Fills the add-a-target form (the peer is picked unless the tab fixes it) and asks for the review. */
  async reviewFailoverTarget(service: string, peer?: string): Promise<void> {
    await this.fill(this.addTargetForm, service, peer);
    await this.addTargetForm.getByRole('button', { name: 'Review failover target', exact: true }).click();
  }

  /** Fills the redirect form and asks for the review (or Consul's rule refuses it at the card). */
  async reviewRedirect(service: string, peer?: string): Promise<void> {
    await this.fill(this.redirectForm, service, peer);
    await this.redirectForm.getByRole('button', { name: 'Review redirect', exact: true }).click();
  }

  private async fill(form: Locator, service: string, peer?: string): Promise<void> {
    await form.getByLabel('Local service', { exact: true }).fill(service);
    if (peer !== undefined) await form.getByLabel('Peer', { exact: true }).selectOption(peer);
  }
}

export class FailoverPage extends FailoverSection {
  protected get root(): Page {
    return this.page;
  }

  async goto(cluster: Cluster, query = ''): Promise<this> {
    return this.open(cluster, `failover${query}`);
  }

  get title(): Locator {
    return this.heading('Failover and redirects to peers', 1);
  }

  /** The filter: service name contains… */
  get serviceFilter(): Locator {
    return this.page.getByRole('search', { name: 'Filter failover' }).getByLabel('Service');
  }
}

/** The peer page's "Failover" tab: the same section for one peer (its peer fixed in the forms). */
export class PeerFailover extends FailoverSection {
  constructor(page: Page, readonly peer: string) {
    super(page);
  }

  protected get root(): Locator {
    return this.page.getByRole('region', { name: 'Failover to this peer', exact: true });
  }

  get title(): Locator {
    return this.root.getByRole('heading', { name: `Failover and redirects to ${this.peer}`, exact: true });
  }

  /** The link to /failover for every peer. */
  get allFailover(): Locator {
    return this.root.getByRole('link', { name: 'All failover', exact: true });
  }
}
