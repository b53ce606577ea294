//! DataLoaders: every relation resolves through one per-request loader, so a nested query costs a
//! number of statements that depends on its depth, not on how many rows it returns.
//!
//! [`Store`] implements `Loader<K>` once per key type; each area's schema module implements the
//! keys it needs next to its types. `by_id!` covers the plain "record by id" keys.

use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
use gazette_storage::{Database, StorageError};

use super::context::loader;
use super::error::{ApiResult, from_storage};

/// The loader behind every DataLoader key.
pub struct Store {
    /// The database.
    pub db: Database,
}

impl Store {
    /// A fresh per-request DataLoader (its cache must not outlive the request: a later request
    /// must see later writes).
    #[must_use]
    pub fn data_loader(db: Database) -> DataLoader<Store> {
        DataLoader::new(Store { db }, tokio::spawn)
    }
}

/// Runs a request's DataLoader batches only when the whole request is waiting.
///
/// async-graphql's DataLoader gathers keys for a fixed time (1 ms by default) and then loads
/// them; resolvers that ask later, on a busy machine or a long list, land in a second batch, so
/// the number of statements would grow with the number of rows. Here the loader's batches are
/// queued instead of spawned, and [`BatchQueue::drive`] starts them only once the request's
/// execution cannot make progress: every resolver that could ask has asked, and one batch per
/// key type and level serves them all.
#[derive(Clone, Default)]
pub struct BatchQueue {
    queued: Arc<Mutex<Vec<BoxFuture<'static, ()>>>>,
}

impl BatchQueue {
    /// A DataLoader whose batches wait in this queue.
    #[must_use]
    pub fn data_loader(&self, db: Database) -> DataLoader<Store> {
        let queue = self.clone();
        DataLoader::new(Store { db }, move |batch: BoxFuture<'static, ()>| {
            if let Ok(mut queued) = queue.queued.lock() {
                queued.push(batch);
            }
        })
        .delay(Duration::ZERO)
    }

    /// Drives `work` (a request's execution) together with the batches it queues.
    pub async fn drive<F: Future>(&self, work: F) -> F::Output {
        let mut work = pin!(work);
        let mut running = FuturesUnordered::new();
        std::future::poll_fn(|cx| {
            loop {
                if let Poll::Ready(output) = work.as_mut().poll(cx) {
                    return Poll::Ready(output);
                }
                // The request is waiting: start what its resolvers asked for.
                let queued = self
                    .queued
                    .lock()
                    .map(|mut q| std::mem::take(&mut *q))
                    .unwrap_or_default();
                let started = !queued.is_empty();
                running.extend(queued);
                let mut finished = false;
                while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {
                    finished = true;
                }
                if !started && !finished {
                    return Poll::Pending;
                }
                // A batch started or finished, so the request may move on: poll it again.
            }
        })
        .await
    }
}

/// Implements `Loader<$id>` for [`Store`] with a batch-by-ids storage method.
macro_rules! by_id {
    ($id:ty, $value:ty, $method:ident) => {
        impl async_graphql::dataloader::Loader<$id> for $crate::schema::loaders::Store {
            type Value = $value;
            type Error = gazette_storage::StorageError;

            async fn load(
                &self,
                keys: &[$id],
            ) -> Result<std::collections::HashMap<$id, $value>, Self::Error> {
                Ok(self
                    .db
                    .$method(keys)
                    .await?
                    .into_iter()
                    .map(|value| (value.id(), value))
                    .collect())
            }
        }
    };
}

pub(crate) use by_id;

/// Declares a key type `$key(pub $id)` for a list kept apart from its record, and implements
/// `Loader<$key>` for [`Store`] with a storage method that returns a map with an entry for
/// every id asked about.
macro_rules! list_of {
    ($(#[$doc:meta])* $key:ident, $id:ty, $value:ty, $method:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub $id);

        impl async_graphql::dataloader::Loader<$key> for $crate::schema::loaders::Store {
            type Value = Vec<$value>;
            type Error = gazette_storage::StorageError;

            async fn load(
                &self,
                keys: &[$key],
            ) -> Result<std::collections::HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<$id> = keys.iter().map(|k| k.0).collect();
                let mut found = self.db.$method(&ids).await?;
                Ok(keys
                    .iter()
                    .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
                    .collect())
            }
        }
    };
}

pub(crate) use list_of;

/// Loads one value through the request's DataLoader.
pub async fn one<K, V>(ctx: &Context<'_>, key: K) -> ApiResult<Option<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Store: async_graphql::dataloader::Loader<K, Value = V, Error = StorageError>,
{
    loader(ctx)?.load_one(key).await.map_err(from_storage)
}

/// Loads many values through the request's DataLoader, keeping the keys' order and skipping
/// keys with no value.
pub async fn many<K, V>(ctx: &Context<'_>, keys: Vec<K>) -> ApiResult<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Store: async_graphql::dataloader::Loader<K, Value = V, Error = StorageError>,
{
    let mut found: HashMap<K, V> = loader(ctx)?
        .load_many(keys.iter().cloned())
        .await
        .map_err(from_storage)?;
    Ok(keys.iter().filter_map(|k| found.remove(k)).collect())
}

/// Loads a list value (a relation) through the request's DataLoader; a key with no rows gives
/// an empty list.
pub async fn list<K, V>(ctx: &Context<'_>, key: K) -> ApiResult<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Store: async_graphql::dataloader::Loader<K, Value = Vec<V>, Error = StorageError>,
{
    Ok(loader(ctx)?
        .load_one(key)
        .await
        .map_err(from_storage)?
        .unwrap_or_default())
}

/// Key: the standing and revoked award decisions a person or organization received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AwardsReceivedOf(pub gazette_domain::award::RecipientRef);

impl async_graphql::dataloader::Loader<AwardsReceivedOf> for Store {
    type Value = Vec<gazette_domain::award::AwardDecision>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[AwardsReceivedOf],
    ) -> Result<HashMap<AwardsReceivedOf, Self::Value>, Self::Error> {
        let recipients: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.awards_received(&recipients).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Key: the citations of a record ("where did this fact come from").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CitationsOf(pub gazette_domain::source::Subject);

impl async_graphql::dataloader::Loader<CitationsOf> for Store {
    type Value = Vec<gazette_domain::source::Citation>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[CitationsOf],
    ) -> Result<HashMap<CitationsOf, Self::Value>, Self::Error> {
        let subjects: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.citations_of(&subjects).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}
