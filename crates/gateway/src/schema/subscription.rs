//! Subscriptions: task changes (optionally for one assignee) and award decisions recorded
//! (optionally by one authority), delivered to every replica through the [`EventBus`].
//!
//! [`EventBus`]: crate::events::EventBus

use async_graphql::{Context, ID, Subscription};
use futures_util::Stream;
use futures_util::stream;
use gazette_domain::ids::{AwardDecisionId, TaskId};
use tokio::sync::broadcast::error::RecvError;

use super::awards::AwardDecisionObject;
use super::context::{database, events};
use super::ids::expect;
use super::tasks::TaskObject;
use crate::events::Event;

/// Every subscription.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// A task each time it is added, reassigned, reported on or moved through its lifecycle;
    /// with `assignee`, only tasks assigned to that organization (as lead, co-operating unit or
    /// addressee).
    async fn task_changed(
        &self,
        ctx: &Context<'_>,
        assignee: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = TaskObject>> {
        let assignee = assignee.map(|id| expect(&id, "Organization")).transpose()?;
        let receiver = events(ctx)?.subscribe();
        let db = database(ctx)?.clone();
        Ok(stream::unfold(
            (receiver, db),
            move |(mut receiver, db)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(Event::TaskChanged {
                            task,
                            organizations,
                            snapshot,
                        }) => {
                            if assignee.is_some_and(|wanted| !organizations.contains(&wanted)) {
                                continue;
                            }
                            if let Some(snapshot) = snapshot {
                                return Some((TaskObject::whole(*snapshot), (receiver, db)));
                            }
                            // A task deleted or unreadable in between is skipped, not an error.
                            if let Ok(task) = db.task(TaskId::from_uuid(task)).await {
                                return Some((TaskObject::whole(task), (receiver, db)));
                            }
                        }
                        Ok(_) | Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }

    /// An award decision each time one is recorded or revoked; with `authority`, only those of
    /// that issuing authority.
    async fn award_decision_recorded(
        &self,
        ctx: &Context<'_>,
        authority: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = AwardDecisionObject>> {
        let authority = authority
            .map(|id| expect(&id, "Organization"))
            .transpose()?;
        let receiver = events(ctx)?.subscribe();
        let db = database(ctx)?.clone();
        Ok(stream::unfold(
            (receiver, db),
            move |(mut receiver, db)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(Event::AwardDecisionRecorded {
                            decision,
                            authority: by,
                            snapshot,
                        }) => {
                            if authority.is_some_and(|wanted| wanted != by) {
                                continue;
                            }
                            if let Some(snapshot) = snapshot {
                                return Some((
                                    AwardDecisionObject::whole(*snapshot),
                                    (receiver, db),
                                ));
                            }
                            if let Ok(decision) = db
                                .award_decision(AwardDecisionId::from_uuid(decision))
                                .await
                            {
                                return Some((
                                    AwardDecisionObject::whole(decision),
                                    (receiver, db),
                                ));
                            }
                        }
                        Ok(_) | Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}
