//! Records saved on the device while the network is away (an inspector in a factory yard):
//! drafts in `localStorage` on every change, and an outbox of submitted records that is sent
//! when the browser comes back online (the `online` event) and on the next page load.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::records::RecordRequest;

use crate::api::{self, ClientError};
use crate::records_form::{OUTBOX_KEY, QueuedRecord, RecordDraft, draft_key, enqueue};

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The draft of one inspection's record, if one was saved on this device.
pub fn load_draft(inspection_id: i64) -> Option<RecordDraft> {
    let text = storage()?.get_item(&draft_key(inspection_id)).ok()??;
    serde_json::from_str(&text).ok()
}

pub fn save_draft(inspection_id: i64, draft: &RecordDraft) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        let _ = storage.set_item(&draft_key(inspection_id), &text);
    }
}

pub fn clear_draft(inspection_id: i64) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&draft_key(inspection_id));
    }
}

fn load_queue() -> Vec<QueuedRecord> {
    storage()
        .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn store_queue(queue: &[QueuedRecord]) {
    if let Some(storage) = storage() {
        let _ = match serde_json::to_string(queue) {
            Ok(text) if !queue.is_empty() => storage.set_item(OUTBOX_KEY, &text),
            _ => storage.remove_item(OUTBOX_KEY),
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

/// The outbox, provided as context by the app shell.
#[derive(Clone, Copy)]
pub struct Outbox {
    pub outcomes: RwSignal<BTreeMap<i64, SendOutcome>>,
    sending: RwSignal<bool>,
}

impl Outbox {
    /// Reads the queue left from an earlier visit.
    pub fn new() -> Self {
        let outcomes = load_queue()
            .into_iter()
            .map(|q| (q.inspection_id, SendOutcome::Queued))
            .collect();
        Outbox {
            outcomes: RwSignal::new(outcomes),
            sending: RwSignal::new(false),
        }
    }

    /// Keeps `request` on this device until [`Outbox::send_all`] gets it through.
    pub fn queue(self, inspection_id: i64, request: RecordRequest) {
        let mut queue = load_queue();
        enqueue(
            &mut queue,
            QueuedRecord {
                inspection_id,
                request,
            },
        );
        store_queue(&queue);
        self.outcomes
            .update(|o| _ = o.insert(inspection_id, SendOutcome::Queued));
    }

    /// Notes the outcome of a record sent directly by the page.
    pub fn settle(self, inspection_id: i64, outcome: SendOutcome) {
        self.outcomes
            .update(|o| _ = o.insert(inspection_id, outcome));
    }

    /// Sends every queued record, oldest first; stops at the first network failure (still
    /// offline). A refused record leaves the queue and its reasons go to the page.
    pub fn send_all(self) {
        if self.sending.get_untracked() || load_queue().is_empty() {
            return;
        }
        self.sending.set(true);
        spawn_local(async move {
            while let Some(next) = load_queue().into_iter().next() {
                let outcome = match api::save_record(next.inspection_id, &next.request).await {
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
                let mut queue = load_queue();
                queue.retain(|q| q.inspection_id != next.inspection_id);
                store_queue(&queue);
                if outcome == SendOutcome::Submitted {
                    clear_draft(next.inspection_id);
                }
                self.settle(next.inspection_id, outcome);
            }
            self.sending.set(false);
        });
    }
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}
