//! DataLoaders: every relation resolves through one per-request loader, so a nested query costs a
//! number of statements that depends on its depth, not on how many rows it returns.
//!
//! [`Store`] implements `Loader<K>` once per key type; each area's schema module implements the
//! keys it needs next to its types. `by_id!` covers the plain "record by id" keys.

use std::any::{Any, TypeId};
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

/// The storage reads behind every DataLoader key: `Loader<K>` is implemented for it once per
/// key type, next to the type in each area's schema module.
#[derive(Clone)]
pub struct Fetch {
    /// The database.
    pub db: Database,
}

/// The loader of a request's DataLoader: it asks [`Fetch`] for what the request's resolvers
/// want, through the server's [`SharedLoads`] when there is one, so that concurrent requests
/// asking for the same kind of record share statements.
#[derive(Clone)]
pub struct Store {
    fetch: Fetch,
    shared: Option<SharedLoads>,
}

impl Store {
    /// A fresh per-request DataLoader (its cache must not outlive the request: a later request
    /// must see later writes) that runs its own statements.
    #[must_use]
    pub fn data_loader(db: Database) -> DataLoader<Store> {
        DataLoader::new(
            Store {
                fetch: Fetch { db },
                shared: None,
            },
            tokio::spawn,
        )
    }
}

impl<K, V> async_graphql::dataloader::Loader<K> for Store
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Fetch: async_graphql::dataloader::Loader<K, Value = V, Error = StorageError>,
{
    type Value = V;
    type Error = StorageError;

    async fn load(&self, keys: &[K]) -> Result<HashMap<K, V>, StorageError> {
        match &self.shared {
            Some(shared) => shared.load(&self.fetch, keys).await,
            None => async_graphql::dataloader::Loader::<K>::load(&self.fetch, keys).await,
        }
    }
}

/// Statements shared across requests: one queue per key type, for the whole server.
///
/// A request's DataLoader already turns its resolvers' loads into one batch per key type and
/// level (see [`BatchQueue`]). Under load many requests want the same kind of record at the
/// same moment (a person's positions, the posts of those, their organizations), and each batch
/// would be its own statement. Here a batch that arrives while [`MAX_IN_FLIGHT`] statements
/// of its key type are already running waits for one of them to finish and then goes out
/// together with every other batch that waited, as one statement (up to [`MAX_KEYS`] keys),
/// whose rows are handed back to each request. An idle server starts a batch at once, so a
/// lone request waits for nothing; a busy one runs a few statements of each kind at a time
/// instead of one per request.
///
/// Each request still reads only committed rows through a statement that started after it
/// asked, so it sees every write committed before it asked (its own mutation's, in a
/// payload). A failed statement fails the loads of every request it served, as it would have
/// failed each of them alone.
#[derive(Clone, Default)]
pub struct SharedLoads {
    queues: Arc<Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>>,
}

/// The most statements of one key type running at once for the whole server.
pub const MAX_IN_FLIGHT: usize = 2;

/// The most keys one shared statement asks for.
pub const MAX_KEYS: usize = 2_000;

type Reply<K, V> = tokio::sync::oneshot::Sender<Result<HashMap<K, V>, StorageError>>;

/// The waiting batches of one key type, and how many statements of it are running.
struct Queue<K, V> {
    state: Mutex<QueueState<K, V>>,
}

struct QueueState<K, V> {
    running: usize,
    waiting: std::collections::VecDeque<(Vec<K>, Reply<K, V>)>,
}

impl SharedLoads {
    /// A per-request DataLoader whose loads go through these shared queues; its batches wait
    /// in `queue` (see [`BatchQueue`]).
    #[must_use]
    pub fn data_loader(&self, queue: &BatchQueue, db: Database) -> DataLoader<Store> {
        queue.data_loader_for(self.store(db))
    }

    /// The loader [`Self::data_loader`] puts behind a request's DataLoader: for callers that
    /// gather keys themselves.
    #[must_use]
    pub fn store(&self, db: Database) -> Store {
        Store {
            fetch: Fetch { db },
            shared: Some(self.clone()),
        }
    }

    fn queue<K, V>(&self) -> Arc<Queue<K, V>>
    where
        K: Send + Sync + 'static,
        V: Send + Sync + 'static,
    {
        let mut queues = self
            .queues
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = queues.entry(TypeId::of::<K>()).or_insert_with(|| {
            Arc::new(Queue::<K, V> {
                state: Mutex::new(QueueState {
                    running: 0,
                    waiting: std::collections::VecDeque::new(),
                }),
            })
        });
        match Arc::clone(entry).downcast::<Queue<K, V>>() {
            Ok(queue) => queue,
            // One key type has one value type (one `Loader` impl), so this cannot happen; a
            // private queue keeps the load correct if it ever did.
            Err(_) => Arc::new(Queue {
                state: Mutex::new(QueueState {
                    running: 0,
                    waiting: std::collections::VecDeque::new(),
                }),
            }),
        }
    }

    async fn load<K, V>(&self, fetch: &Fetch, keys: &[K]) -> Result<HashMap<K, V>, StorageError>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        Fetch: async_graphql::dataloader::Loader<K, Value = V, Error = StorageError>,
    {
        let queue = self.queue::<K, V>();
        let (reply, answer) = tokio::sync::oneshot::channel();
        let start = {
            let mut state = queue
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            state.waiting.push_back((keys.to_vec(), reply));
            if state.running < MAX_IN_FLIGHT {
                state.running += 1;
                true
            } else {
                false
            }
        };
        if start {
            tokio::spawn(drain(queue, fetch.clone()));
        }
        answer.await.map_err(|_| {
            StorageError::Internal("a shared load ended without answering".to_owned())
        })?
    }
}

/// Gives a running slot back if a drain ends by a panic; a drain that runs out of batches
/// gives it back itself, under the same lock that saw the queue empty (otherwise a batch
/// arriving in between would find no free slot and no drain to take it).
struct Running<K, V> {
    queue: Arc<Queue<K, V>>,
    held: bool,
}

impl<K, V> Drop for Running<K, V> {
    fn drop(&mut self) {
        if self.held {
            let mut state = self
                .queue
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            state.running = state.running.saturating_sub(1);
        }
    }
}

/// Runs statements for the waiting batches of one key type until none waits.
async fn drain<K, V>(queue: Arc<Queue<K, V>>, fetch: Fetch)
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Fetch: async_graphql::dataloader::Loader<K, Value = V, Error = StorageError>,
{
    let mut running = Running {
        queue: Arc::clone(&queue),
        held: true,
    };
    loop {
        let batches: Vec<(Vec<K>, Reply<K, V>)> = {
            let mut state = queue
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if state.waiting.is_empty() {
                state.running = state.running.saturating_sub(1);
                running.held = false;
                return;
            }
            let mut taken = Vec::new();
            let mut count = 0;
            while let Some((keys, _)) = state.waiting.front() {
                if !taken.is_empty() && count + keys.len() > MAX_KEYS {
                    break;
                }
                count += keys.len();
                if let Some(batch) = state.waiting.pop_front() {
                    taken.push(batch);
                }
            }
            taken
        };
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<K> = batches
            .iter()
            .flat_map(|(keys, _)| keys.iter())
            .filter(|key| seen.insert(*key))
            .cloned()
            .collect();
        let result = async_graphql::dataloader::Loader::<K>::load(&fetch, &keys).await;
        for (keys, reply) in batches {
            let answer = match &result {
                Ok(found) => Ok(keys
                    .iter()
                    .filter_map(|key| found.get(key).map(|value| (key.clone(), value.clone())))
                    .collect()),
                Err(error) => Err(error.clone()),
            };
            // A request that went away (timed out) no longer listens; nothing to do.
            let _ = reply.send(answer);
        }
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
    /// A DataLoader whose batches wait in this queue and run their own statements.
    #[must_use]
    pub fn data_loader(&self, db: Database) -> DataLoader<Store> {
        self.data_loader_for(Store {
            fetch: Fetch { db },
            shared: None,
        })
    }

    fn data_loader_for(&self, store: Store) -> DataLoader<Store> {
        let queue = self.clone();
        DataLoader::new(store, move |batch: BoxFuture<'static, ()>| {
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
        impl async_graphql::dataloader::Loader<$id> for $crate::schema::loaders::Fetch {
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

        impl async_graphql::dataloader::Loader<$key> for $crate::schema::loaders::Fetch {
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

impl async_graphql::dataloader::Loader<AwardsReceivedOf> for Fetch {
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

impl async_graphql::dataloader::Loader<CitationsOf> for Fetch {
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
