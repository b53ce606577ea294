//! Loaders: every relation resolves through one per-request loader ([`RequestLoader`]), so a
//! nested query costs a number of statements that depends on its depth, not on how many rows
//! it returns.
//!
//! [`Store`] implements `Loader<K>` once per key type; each area's schema module implements the
//! keys it needs next to its types. `by_id!` covers the plain "record by id" keys.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;

use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};

use async_graphql::Context;
use async_graphql::dataloader::Loader;
use gazette_storage::{Database, StorageError};

use super::context::loader;
use super::error::{ApiResult, from_storage};

/// The storage reads behind every loader key: `Loader<K>` is implemented for it once per
/// key type, next to the type in each area's schema module.
#[derive(Clone)]
pub struct Fetch {
    /// The database.
    pub db: Database,
}

/// The loader behind a request's [`RequestLoader`]: it asks [`Fetch`] for what the request's
/// resolvers want, through the server's [`SharedLoads`] when there is one, so that concurrent
/// requests asking for the same kind of record share statements.
#[derive(Clone)]
pub struct Store {
    fetch: Fetch,
    shared: Option<SharedLoads>,
}

impl Store {
    /// A fresh per-request loader that runs its own statements, each batch as soon as the
    /// resolvers that asked have yielded (for subscriptions, which have no [`BatchQueue`]).
    #[must_use]
    pub fn data_loader(db: Database) -> RequestLoader {
        RequestLoader::new(
            Store {
                fetch: Fetch { db },
                shared: None,
            },
            None,
            false,
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
/// A request's loader already turns its resolvers' loads into one batch per key type and
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
    /// A per-request loader whose loads go through these shared queues; its batches wait in
    /// `queue` (see [`BatchQueue`]). `priming`: whether it keeps records read with an earlier
    /// level (for a query operation only; see [`RequestLoader`]).
    #[must_use]
    pub fn data_loader(&self, queue: &BatchQueue, db: Database, priming: bool) -> RequestLoader {
        RequestLoader::new(self.store(db), Some(queue.clone()), priming)
    }

    /// The loader [`Self::data_loader`] puts behind a request's loader: for callers that
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
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
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
            let mut state = queue.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.waiting.push_back((keys.to_vec(), reply));
            if state.running < MAX_IN_FLIGHT {
                state.running += 1;
                true
            } else {
                false
            }
        };
        if start {
            // Boxed: tokio moves a task's future by value while it sets the task up.
            tokio::spawn(Box::pin(drain(queue, fetch.clone())));
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
                .unwrap_or_else(PoisonError::into_inner);
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
            let mut state = queue.state.lock().unwrap_or_else(PoisonError::into_inner);
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

/// Runs a request's loader batches only when the whole request is waiting.
///
/// A loader that started a batch as soon as a key was asked for (or after a fixed delay, as
/// async-graphql's DataLoader does: 1 ms by default, and even a zero delay is a timer, which
/// tokio rounds up to its next millisecond, so a query five levels deep waited about 5 ms
/// whatever the load) would either wait for nothing or split a level into several batches.
/// Here a request's batches are queued instead, and [`BatchQueue::drive`] starts them only
/// once the request's execution cannot make progress: every resolver that could ask has
/// asked, and one batch per key type and level serves them all, at once.
#[derive(Clone, Default)]
pub struct BatchQueue {
    queued: Arc<Mutex<Vec<BoxFuture<'static, ()>>>>,
}

impl BatchQueue {
    /// A loader whose batches wait in this queue and run their own statements; `priming` as
    /// for [`SharedLoads::data_loader`].
    #[must_use]
    pub fn data_loader(&self, db: Database, priming: bool) -> RequestLoader {
        RequestLoader::new(
            Store {
                fetch: Fetch { db },
                shared: None,
            },
            Some(self.clone()),
            priming,
        )
    }

    fn push(&self, batch: BoxFuture<'static, ()>) {
        self.queued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(batch);
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
                let queued = std::mem::take(
                    &mut *self.queued.lock().unwrap_or_else(PoisonError::into_inner),
                );
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

/// A request's loader: resolvers ask it for records by key; the keys asked for one key type
/// while the request runs are gathered into one batch, which starts when the request's
/// [`BatchQueue`] finds the request waiting (or, without a queue, once the asking task
/// yields), and each caller gets its own keys' values from the batch's answer. Nothing is
/// kept between batches: a later level asks again, and sees what is committed by then.
///
/// The one exception is what a query's resolver read *together with* a level, in the same
/// statement (a person's holdings joined with their posts, say): it hands those records to
/// [`Self::prime`], and the next level takes them from there instead of asking the database
/// again, which would have answered the same (or something committed since: the joined read is
/// the more consistent of the two). Only a loader made for a query operation keeps primed
/// records ([`Self::priming`]): a mutation's later fields must see its earlier fields' writes,
/// and a subscription's loader lives across events.
pub struct RequestLoader {
    store: Store,
    queue: Option<BatchQueue>,
    pending: Arc<Mutex<HashMap<TypeId, Box<dyn Any + Send>>>>,
    /// Records read with an earlier level, per key type a `HashMap<K, V>`; `None` when this
    /// loader keeps none.
    primed: Option<Mutex<HashMap<TypeId, Box<dyn Any + Send>>>>,
}

type BatchAnswer<K, V> = Result<Arc<HashMap<K, V>>, StorageError>;

/// The keys of one type asked for since its batch was last taken, and who waits for them.
struct Pending<K, V> {
    keys: HashSet<K>,
    waiters: Vec<tokio::sync::oneshot::Sender<BatchAnswer<K, V>>>,
}

impl RequestLoader {
    fn new(store: Store, queue: Option<BatchQueue>, priming: bool) -> Self {
        Self {
            store,
            queue,
            pending: Arc::new(Mutex::new(HashMap::new())),
            primed: priming.then(|| Mutex::new(HashMap::new())),
        }
    }

    /// Whether this loader keeps the records resolvers [`Self::prime`] it with: a resolver
    /// that would join the next level's records into its own read does so only then.
    #[must_use]
    pub fn priming(&self) -> bool {
        self.primed.is_some()
    }

    /// Keeps records read together with an earlier level, so that loads of their keys take
    /// them from here; nothing when this loader does not keep primed records.
    pub fn prime<K, V>(&self, records: impl IntoIterator<Item = (K, V)>)
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        Store: Loader<K, Value = V, Error = StorageError>,
    {
        let Some(primed) = &self.primed else {
            return;
        };
        let mut primed = primed.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = primed
            .entry(TypeId::of::<K>())
            .or_insert_with(|| Box::new(HashMap::<K, V>::new()));
        // One key type has one value type (one `Loader` impl), so the downcast succeeds.
        if let Some(map) = entry.downcast_mut::<HashMap<K, V>>() {
            map.extend(records);
        }
    }

    /// The primed values of `keys`, and the keys that have none.
    fn take_primed<K, V>(&self, keys: Vec<K>) -> (HashMap<K, V>, Vec<K>)
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
    {
        let Some(primed) = &self.primed else {
            return (HashMap::new(), keys);
        };
        let primed = primed.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(map) = primed
            .get(&TypeId::of::<K>())
            .and_then(|entry| entry.downcast_ref::<HashMap<K, V>>())
        else {
            return (HashMap::new(), keys);
        };
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match map.get(&key) {
                Some(value) => {
                    found.insert(key, value.clone());
                }
                None => missing.push(key),
            }
        }
        (found, missing)
    }

    /// The value of one key, `None` when there is none.
    ///
    /// # Errors
    ///
    /// The batch's storage error.
    pub async fn load_one<K, V>(&self, key: K) -> Result<Option<V>, StorageError>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        Store: Loader<K, Value = V, Error = StorageError>,
    {
        let mut found = self.load_many(std::iter::once(key.clone())).await?;
        Ok(found.remove(&key))
    }

    /// The values of the keys that have one.
    ///
    /// # Errors
    ///
    /// The batch's storage error.
    pub async fn load_many<K, V>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, V>, StorageError>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        Store: Loader<K, Value = V, Error = StorageError>,
    {
        let (mut primed, keys) = self.take_primed::<K, V>(keys.into_iter().collect());
        if keys.is_empty() {
            return Ok(primed);
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        let first = {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            let entry = pending.entry(TypeId::of::<K>()).or_insert_with(|| {
                Box::new(Pending::<K, V> {
                    keys: HashSet::new(),
                    waiters: Vec::new(),
                })
            });
            let Some(waiting) = entry.downcast_mut::<Pending<K, V>>() else {
                // One key type has one value type (one `Loader` impl), so this cannot happen.
                return Err(StorageError::Internal(
                    "a loader key type with two value types".to_owned(),
                ));
            };
            waiting.keys.extend(keys.iter().cloned());
            waiting.waiters.push(reply);
            waiting.waiters.len() == 1
        };
        if first {
            self.schedule::<K, V>();
        }
        let found = answer.await.map_err(|_| {
            StorageError::Internal("a loader batch ended without answering".to_owned())
        })??;
        primed.extend(
            keys.into_iter()
                .filter_map(|key| found.get(&key).map(|value| (key, value.clone()))),
        );
        Ok(primed)
    }

    /// Queues (or spawns) the batch of key type `K`: when it starts it takes every key asked
    /// for until then.
    fn schedule<K, V>(&self)
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        Store: Loader<K, Value = V, Error = StorageError>,
    {
        let pending = Arc::clone(&self.pending);
        let store = self.store.clone();
        let batch = async move {
            let taken = {
                let mut pending = pending.lock().unwrap_or_else(PoisonError::into_inner);
                pending
                    .get_mut(&TypeId::of::<K>())
                    .and_then(|entry| entry.downcast_mut::<Pending<K, V>>())
                    .map(|waiting| {
                        (
                            waiting.keys.drain().collect::<Vec<K>>(),
                            std::mem::take(&mut waiting.waiters),
                        )
                    })
            };
            let Some((keys, waiters)) = taken else {
                return;
            };
            let answer: BatchAnswer<K, V> = Loader::<K>::load(&store, &keys).await.map(Arc::new);
            for waiter in waiters {
                // A caller that went away no longer listens; nothing to do.
                let _ = waiter.send(answer.clone());
            }
        };
        match &self.queue {
            Some(queue) => queue.push(Box::pin(batch)),
            None => {
                tokio::spawn(Box::pin(batch));
            }
        }
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

/// Loads one value through the request's loader.
pub async fn one<K, V>(ctx: &Context<'_>, key: K) -> ApiResult<Option<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Store: async_graphql::dataloader::Loader<K, Value = V, Error = StorageError>,
{
    loader(ctx)?.load_one(key).await.map_err(from_storage)
}

/// Loads many values through the request's loader, keeping the keys' order and skipping
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

/// Loads a list value (a relation) through the request's loader; a key with no rows gives
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
