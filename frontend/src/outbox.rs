//! Records saved on the device while the network is away (an inspector in a factory yard):
//! drafts in `localStorage` on every change, and an outbox of submitted records that is sent
//! when the browser comes back online (the `online` event) and on the next page load.
//!
//! Everything is kept per account (`records_form::draft_key`, `outbox_key`): what one account
//! left on a shared phone is neither shown to nor sent as the next. Each queued record carries
//! its own `Idempotency-Key`, so a resend after a lost answer is a success, not a conflict; and
//! one tab at a time sends an account's outbox (a Web Lock).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::records::RecordRequest;

use crate::api::{self, ClientError};
use crate::lazy;
use crate::records_form::{QueuedRecord, RecordDraft, draft_key, enqueue, outbox_key};

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn load_queue(account: i64) -> Vec<QueuedRecord> {
    storage()
        .and_then(|s| s.get_item(&outbox_key(account)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn store_queue(account: i64, queue: &[QueuedRecord]) {
    if let Some(storage) = storage() {
        let key = outbox_key(account);
        let _ = match serde_json::to_string(queue) {
            Ok(text) if !queue.is_empty() => storage.set_item(&key, &text),
            _ => storage.remove_item(&key),
        };
    }
}

/// Whether the browser believes it is online (`navigator.onLine`).
pub fn is_online() -> bool {
    window().navigator().on_line()
}

/// What became of a record the page submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Saved on this device, waiting for the network.
    Queued,
    /// The worker saved it.
    Submitted,
    /// The worker refused it (the page shows why, field by field).
    Refused(ClientError),
}

/// The outbox of the signed-in account, provided as context by the app shell.
#[derive(Clone, Copy)]
pub struct Outbox {
    pub outcomes: RwSignal<BTreeMap<i64, SendOutcome>>,
    sending: RwSignal<bool>,
    /// The signed-in account; `None` until the session is known and after sign-out.
    account: RwSignal<Option<i64>>,
}

impl Outbox {
    pub fn new() -> Self {
        Outbox {
            outcomes: RwSignal::new(BTreeMap::new()),
            sending: RwSignal::new(false),
            account: RwSignal::new(None),
        }
    }

    /// Switches to `account`'s drafts and queue (at sign-in, sign-out and page load).
    pub fn set_account(self, account: Option<i64>) {
        self.account.set(account);
        let outcomes = account
            .map(load_queue)
            .unwrap_or_default()
            .into_iter()
            .map(|q| (q.inspection_id, SendOutcome::Queued))
            .collect();
        self.outcomes.set(outcomes);
    }

    /// The draft of one inspection's record, if the signed-in account saved one here.
    pub fn load_draft(self, inspection_id: i64) -> Option<RecordDraft> {
        let account = self.account.get_untracked()?;
        let text = storage()?
            .get_item(&draft_key(account, inspection_id))
            .ok()??;
        serde_json::from_str(&text).ok()
    }

    pub fn save_draft(self, inspection_id: i64, draft: &RecordDraft) {
        let Some(account) = self.account.get_untracked() else {
            return;
        };
        if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
            let _ = storage.set_item(&draft_key(account, inspection_id), &text);
        }
    }

    pub fn clear_draft(self, inspection_id: i64) {
        if let (Some(account), Some(storage)) = (self.account.get_untracked(), storage()) {
            let _ = storage.remove_item(&draft_key(account, inspection_id));
        }
    }

    /// Keeps `request` on this device until [`Outbox::send_all`] gets it through, under the
    /// idempotency `key` it was (or will be) sent with.
    pub fn queue(self, inspection_id: i64, request: RecordRequest, key: String) {
        let Some(account) = self.account.get_untracked() else {
            return;
        };
        let mut queue = load_queue(account);
        enqueue(
            &mut queue,
            QueuedRecord {
                inspection_id,
                request,
                key,
            },
        );
        store_queue(account, &queue);
        self.outcomes
            .update(|o| _ = o.insert(inspection_id, SendOutcome::Queued));
    }

    /// Notes the outcome of a record sent directly by the page.
    pub fn settle(self, inspection_id: i64, outcome: SendOutcome) {
        self.outcomes
            .update(|o| _ = o.insert(inspection_id, outcome));
    }

    /// Sends every queued record of the signed-in account, oldest first; stops at the first
    /// network failure (still offline). A refused record leaves the queue and its reasons go
    /// to the page. Another tab already sending this account's queue is left to it.
    pub fn send_all(self) {
        let Some(account) = self.account.get_untracked() else {
            return;
        };
        if self.sending.get_untracked() || load_queue(account).is_empty() {
            return;
        }
        self.sending.set(true);
        spawn_local(async move {
            let lock = lazy::try_lock(&format!("suicha.outbox.{account}")).await;
            while lock.is_some() && self.account.get_untracked() == Some(account) {
                let Some(mut next) = load_queue(account).into_iter().next() else {
                    break;
                };
                if next.key.is_empty() {
                    // Queued by an older version of the app: give it a key now.
                    next.key = lazy::random_key();
                    let mut queue = load_queue(account);
                    enqueue(&mut queue, next.clone());
                    store_queue(account, &queue);
                }
                let outcome =
                    match api::save_record(next.inspection_id, &next.request, &next.key).await {
                        Ok(_) => SendOutcome::Submitted,
                        // Offline, or signed out meanwhile: keep it for later rather than lose it.
                        Err(err)
                            if err.is_network()
                                || err.code == "sign_in_required"
                                || err.code == "csrf_failed" =>
                        {
                            break;
                        }
                        Err(err) => SendOutcome::Refused(err),
                    };
                let mut queue = load_queue(account);
                queue.retain(|q| q.inspection_id != next.inspection_id);
                store_queue(account, &queue);
                if outcome == SendOutcome::Submitted {
                    self.clear_draft(next.inspection_id);
                }
                self.settle(next.inspection_id, outcome);
            }
            drop(lock);
            self.sending.set(false);
        });
    }
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}
