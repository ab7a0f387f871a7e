// Page objects: one class per page of the console; specs drive the UI through them.
export { ConsolePage, SignInDialog, suggestions } from './console';
export { PeersPage } from './peers';
export { AddPeerPage } from './add-peer';
export { PeerPage, PeerExports, PEER_TABS } from './peer';
export type { PeerTabPath } from './peer';
export { GatewaysPage } from './gateways';
export { FailoverPage, PeerFailover } from './failover';
export { IntentionsPage, IntentionEditor, CanItTalk } from './intentions';
export { ExportsPage } from './exports';
export { EntryReview, ChangeReview, ExportsReview } from './review';
export { MapPage } from './map';
export { ChecklistPage } from './reach';
