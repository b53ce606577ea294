//! The name search's planning figures, kept a while.
//!
//! On PostgreSQL a name search is planned from figures it asks the database for before it runs:
//! the planner's estimate of the number of people and of each word's matches (an `EXPLAIN`
//! each) and the number of distinct name words beginning with the rarest word (a skip through
//! the token index). Those figures choose how the search runs, never what it finds, and they
//! move slowly: the estimates change when PostgreSQL analyzes the tables again, the counts
//! when names are added. Asking for them took a third of a common search's time in the
//! database, so they are kept for [`KEEP_FOR`], per gateway process, and asked for again after
//! that. A figure a minute old can make a search take a slower plan, not a wrong answer.
//!
//! SQLite has no planner's estimates to ask for: there the figures are counts (the number of
//! people, each word's matches up to a cap), kept the same way.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a figure is used before it is asked for again.
pub const KEEP_FOR: Duration = Duration::from_secs(60);

/// The most figures kept. When full, expired figures are dropped, and if none had expired,
/// all of them: the search words of a register's users are far fewer, so this only bounds a
/// process fed every possible prefix.
pub const CAPACITY: usize = 10_000;

/// What a figure is of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Figure {
    /// The estimated (SQLite: counted) number of people.
    People,
    /// The estimated (SQLite: counted, up to a cap) number of name words beginning with this
    /// (folded) search word.
    Matches(String),
    /// The number of distinct name words beginning with this word, counted up to a cap.
    Tokens(String),
}

/// Figures with the time each was read.
#[derive(Debug)]
pub(crate) struct Estimates {
    keep_for: Duration,
    capacity: usize,
    figures: Mutex<HashMap<Figure, (f64, Instant)>>,
}

impl Default for Estimates {
    fn default() -> Self {
        Self::new(KEEP_FOR, CAPACITY)
    }
}

impl Estimates {
    pub(crate) fn new(keep_for: Duration, capacity: usize) -> Self {
        Self {
            keep_for,
            capacity: capacity.max(1),
            figures: Mutex::new(HashMap::new()),
        }
    }

    /// The figure, when one younger than the keeping time is kept.
    pub(crate) fn get(&self, figure: &Figure) -> Option<f64> {
        let figures = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        figures
            .get(figure)
            .filter(|(_, read)| read.elapsed() < self.keep_for)
            .map(|(value, _)| *value)
    }

    /// Keeps a figure just read.
    pub(crate) fn put(&self, figure: Figure, value: f64) {
        let now = Instant::now();
        let mut figures = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        if figures.len() >= self.capacity && !figures.contains_key(&figure) {
            figures.retain(|_, (_, read)| now.duration_since(*read) < self.keep_for);
            if figures.len() >= self.capacity {
                figures.clear();
            }
        }
        figures.insert(figure, (value, now));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.figures.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_kept_for_its_time_and_then_asked_for_again() {
        let kept = Estimates::new(Duration::from_secs(3600), 10);
        assert_eq!(kept.get(&Figure::People), None);
        kept.put(Figure::People, 10_000.0);
        kept.put(Figure::Matches("nguyen".to_owned()), 3_000.0);
        assert_eq!(kept.get(&Figure::People), Some(10_000.0));
        assert_eq!(
            kept.get(&Figure::Matches("nguyen".to_owned())),
            Some(3_000.0)
        );
        assert_eq!(kept.get(&Figure::Tokens("nguyen".to_owned())), None);
        kept.put(Figure::People, 11_000.0);
        assert_eq!(kept.get(&Figure::People), Some(11_000.0));

        let expired = Estimates::new(Duration::ZERO, 10);
        expired.put(Figure::People, 10_000.0);
        assert_eq!(expired.get(&Figure::People), None);
    }

    #[test]
    fn the_figures_kept_never_exceed_the_capacity() {
        let kept = Estimates::new(Duration::from_secs(3600), 3);
        for word in ["a", "b", "c"] {
            kept.put(Figure::Matches(word.to_owned()), 1.0);
        }
        assert_eq!(kept.len(), 3);
        // Replacing a figure kept takes no room.
        kept.put(Figure::Matches("a".to_owned()), 2.0);
        assert_eq!(kept.len(), 3);
        // A new one when none has expired: all go, and the new one is kept.
        kept.put(Figure::Matches("d".to_owned()), 1.0);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept.get(&Figure::Matches("d".to_owned())), Some(1.0));

        // Expired figures go first.
        let expiring = Estimates::new(Duration::ZERO, 2);
        for word in ["a", "b", "c", "d", "e"] {
            expiring.put(Figure::Matches(word.to_owned()), 1.0);
            assert!(expiring.len() <= 2);
        }
    }
}
