//! The generator's own pseudo-random numbers: xoshiro256** seeded through SplitMix64.
//!
//! Written here rather than taken from `rand` so that a seed means the same dataset for as long
//! as this file does not change: `rand`'s streams may change between its versions, and a
//! dataset's ids are part of what a seed promises.

use chrono::{NaiveDate, TimeDelta};
use uuid::Uuid;

/// SplitMix64: one step of the sequence, used to spread a seed over xoshiro's state and to
/// derive independent seeds from one.
#[must_use]
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seed derived from `seed` for the independent stream named `stream` (a province's index, the
/// id stream, the sample's stream), so that streams do not depend on how much another one drew.
#[must_use]
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    let mut state = seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
    splitmix64(&mut state)
}

/// xoshiro256**: small, fast and good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// A generator whose whole sequence is fixed by `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        let mut mix = seed;
        let state = [
            splitmix64(&mut mix),
            splitmix64(&mut mix),
            splitmix64(&mut mix),
            splitmix64(&mut mix),
        ];
        Self { state }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.state[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.state[1] << 17;
        self.state[2] ^= self.state[0];
        self.state[3] ^= self.state[1];
        self.state[1] ^= self.state[2];
        self.state[0] ^= self.state[3];
        self.state[2] ^= t;
        self.state[3] = self.state[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (0 when `n` is 0), without modulo bias (Lemire's method).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        loop {
            let product = u128::from(self.next_u64()) * u128::from(n);
            // The low half decides whether this draw falls in the biased tail.
            let low = product as u64;
            if low >= n.wrapping_neg() % n {
                return (product >> 64) as u64;
            }
        }
    }

    /// An index into a slice of `len` items (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        // usize is at most 64 bits on every target Gazette builds for.
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// A number in `low..=high` (`low` when the range is empty).
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = high.abs_diff(low).saturating_add(1);
        low.saturating_add_unsigned(self.below(span))
    }

    /// A number in `low..=high` for small unsigned ranges.
    pub fn between_u32(&mut self, low: u32, high: u32) -> u32 {
        if high <= low {
            return low;
        }
        let offset = self.below(u64::from(high - low) + 1);
        low + u32::try_from(offset).unwrap_or(0)
    }

    /// A uniform number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        // 53 random bits make every representable multiple of 2^-53 equally likely.
        let bits = (self.next_u64() >> 11) as f64;
        bits / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice; `None` for an empty one.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.index(items.len()))
        }
    }

    /// A day in `from..=to` (`from` when the range is empty).
    pub fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days();
        add_days(from, self.between(0, span))
    }

    /// A count with mean about `mean`, at least `min` and at most `max`: `min` plus a geometric
    /// number, the long tail of lists that are mostly short and sometimes long.
    pub fn geometric(&mut self, mean: f64, min: u32, max: u32) -> u32 {
        let extra_mean = (mean - f64::from(min)).max(0.0);
        if extra_mean <= 0.0 {
            return min;
        }
        let p = 1.0 / (extra_mean + 1.0);
        let mut count = min;
        while count < max && !self.chance(p) {
            count += 1;
        }
        count
    }
}

/// A weighted choice among `n` items, drawn in O(log n).
#[derive(Debug, Clone)]
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// A table from the items' weights (negative weights count as 0).
    #[must_use]
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Self { cumulative }
    }

    /// The index of the item drawn.
    pub fn draw(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= target)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// `day` moved by `days` (kept as is in the impossible case of leaving chrono's range).
#[must_use]
pub fn add_days(day: NaiveDate, days: i64) -> NaiveDate {
    day.checked_add_signed(TimeDelta::days(days)).unwrap_or(day)
}

/// Ids for the generated records: UUIDv7-shaped (version 7, RFC 4122 variant) with a
/// millisecond timestamp that grows by one per id from a fixed start and 74 bits from a seeded
/// stream, so that ids sort in the order the records were generated, as ids made by a live
/// system sort in the order the records were made, and the same seed gives the same ids.
#[derive(Debug, Clone)]
pub struct IdSource {
    millis: u64,
    rng: Rng,
}

impl IdSource {
    /// Ids whose timestamps start at `start_millis` (Unix time in milliseconds).
    #[must_use]
    pub fn new(seed: u64, start_millis: u64) -> Self {
        Self {
            millis: start_millis,
            rng: Rng::new(seed),
        }
    }

    /// The next id.
    pub fn next_uuid(&mut self) -> Uuid {
        self.millis += 1;
        let random = self.rng.next_u64().to_be_bytes();
        let more = self.rng.next_u64().to_be_bytes();
        let ms = self.millis.to_be_bytes();
        let bytes = [
            ms[2],
            ms[3],
            ms[4],
            ms[5],
            ms[6],
            ms[7],
            0x70 | (random[0] & 0x0F),
            random[1],
            0x80 | (random[2] & 0x3F),
            random[3],
            random[4],
            random[5],
            random[6],
            random[7],
            more[0],
            more[1],
        ];
        Uuid::from_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let mut c = Rng::new(43);
        let first: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let second: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let other: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(first, second);
        assert_ne!(first, other);
    }

    #[test]
    fn draws_stay_in_their_ranges() {
        let mut rng = Rng::new(7);
        for _ in 0..10_000 {
            assert!(rng.below(10) < 10);
            let n = rng.between(-3, 3);
            assert!((-3..=3).contains(&n));
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
            assert!((2..=9).contains(&rng.geometric(4.0, 2, 9)));
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.between(5, 5), 5);
    }

    #[test]
    fn weighted_draws_follow_their_weights() {
        let mut rng = Rng::new(1);
        let table = Weighted::new([1.0, 0.0, 3.0]);
        let mut counts = [0u32; 3];
        for _ in 0..40_000 {
            counts[table.draw(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let ratio = f64::from(counts[2]) / f64::from(counts[0]);
        assert!((2.7..3.3).contains(&ratio), "{counts:?}");
    }

    #[test]
    fn ids_are_version_7_and_grow_in_generation_order() {
        let mut ids = IdSource::new(5, 1_800_000_000_000);
        let first = ids.next_uuid();
        let second = ids.next_uuid();
        assert_eq!(first.get_version_num(), 7);
        assert_eq!(first.get_variant(), uuid::Variant::RFC4122);
        assert!(first < second);
        let mut again = IdSource::new(5, 1_800_000_000_000);
        assert_eq!(again.next_uuid(), first);
    }
}
