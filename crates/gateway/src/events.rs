//! Events behind the subscriptions, delivered to every gateway replica.
//!
//! On PostgreSQL a write's event is published with `NOTIFY` after the write commits, and every
//! replica (this one included) `LISTEN`s and forwards it to its own subscribers, so clients
//! behind a load balancer see every change whichever replica took the write. On SQLite one
//! process serves the file, and events go straight to its subscribers in-process.
//! Events are notifications, not a log: a subscriber that is not connected when one is sent
//! does not get it later.

use std::time::Duration;

use gazette_domain::award::AwardDecision;
use gazette_domain::task::Task;
use gazette_storage::{Database, Engine};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// A change worth telling subscribers about.
///
/// An event carries the record as the write left it, so a subscriber sees each change's own
/// state even when a later change commits before the event is delivered. Over `NOTIFY`, whose
/// payload is limited to 8000 bytes, a record too large to travel is left out and subscribers
/// read it from the database instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A task was added, assigned, reported on or moved through its lifecycle.
    TaskChanged {
        /// The task.
        task: Uuid,
        /// The organizations it is assigned to (lead, co-operating, addressees).
        organizations: Vec<Uuid>,
        /// The task as the write left it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<Box<Task>>,
    },
    /// An award decision was recorded (or revoked).
    AwardDecisionRecorded {
        /// The decision.
        decision: Uuid,
        /// Its issuing authority.
        authority: Uuid,
        /// The decision as the write left it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<Box<AwardDecision>>,
    },
}

/// The largest `NOTIFY` payload PostgreSQL accepts, less a margin.
const MAX_NOTIFY_BYTES: usize = 7900;

impl Event {
    /// The event without its snapshot, small enough for any channel.
    fn without_snapshot(&self) -> Self {
        match self.clone() {
            Self::TaskChanged {
                task,
                organizations,
                ..
            } => Self::TaskChanged {
                task,
                organizations,
                snapshot: None,
            },
            Self::AwardDecisionRecorded {
                decision,
                authority,
                ..
            } => Self::AwardDecisionRecorded {
                decision,
                authority,
                snapshot: None,
            },
        }
    }
}

/// Publishes events and hands out subscriptions.
#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
    db: Database,
}

impl EventBus {
    /// Starts the bus; on PostgreSQL also the listener task that forwards `NOTIFY`s.
    #[must_use]
    pub fn start(db: Database) -> Self {
        let (sender, _) = broadcast::channel(1024);
        let bus = Self { sender, db };
        if bus.db.engine() == Engine::Postgres {
            let forward = bus.clone();
            tokio::spawn(async move { forward.forward_notifications().await });
        }
        bus
    }

    async fn forward_notifications(self) {
        loop {
            match self.db.listen().await {
                Ok(Some(mut listener)) => loop {
                    match listener.next().await {
                        Ok(payload) => match serde_json::from_str::<Event>(&payload) {
                            Ok(event) => {
                                let _ = self.sender.send(event);
                            }
                            Err(error) => tracing::warn!(%error, "ignoring a malformed event"),
                        },
                        Err(error) => {
                            tracing::warn!(%error, "event listener lost its connection; reconnecting");
                            break;
                        }
                    }
                },
                Ok(None) => return,
                Err(error) => tracing::warn!(%error, "cannot listen for events yet; retrying"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// Publishes an event after its write committed. A failure to publish is logged, not
    /// returned: the write itself succeeded.
    pub async fn publish(&self, event: Event) {
        if self.db.engine() == Engine::Postgres {
            let payload = serde_json::to_string(&event).and_then(|payload| {
                if payload.len() > MAX_NOTIFY_BYTES {
                    serde_json::to_string(&event.without_snapshot())
                } else {
                    Ok(payload)
                }
            });
            match payload {
                Ok(payload) => {
                    if let Err(error) = self.db.notify(&payload).await {
                        tracing::warn!(%error, "could not publish an event");
                    }
                }
                Err(error) => tracing::warn!(%error, "could not encode an event"),
            }
        } else {
            let _ = self.sender.send(event);
        }
    }

    /// A new subscription to every event from now on.
    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
