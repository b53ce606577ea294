//! Events behind the subscriptions, delivered to every gateway replica.
//!
//! On PostgreSQL a write's event is published with `NOTIFY` after the write commits, and every
//! replica (this one included) `LISTEN`s and forwards it to its own subscribers, so clients
//! behind a load balancer see every change whichever replica took the write. On SQLite one
//! process serves the file, and events go straight to its subscribers in-process.
//! Events are notifications, not a log: a subscriber that is not connected when one is sent
//! does not get it later.

use std::time::Duration;

use gazette_storage::{Database, Engine};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// A change worth telling subscribers about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A task was added, assigned, reported on or moved through its lifecycle.
    TaskChanged {
        /// The task.
        task: Uuid,
        /// The organizations it is assigned to (lead, co-operating, addressees).
        organizations: Vec<Uuid>,
    },
    /// An award decision was recorded (or revoked).
    AwardDecisionRecorded {
        /// The decision.
        decision: Uuid,
        /// Its issuing authority.
        authority: Uuid,
    },
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
            match serde_json::to_string(&event) {
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
