//! The sample file (`--sample FILE`): values drawn from the generated data for a load
//! generator, each keeping a promise that the API's queries can check.
//!
//! | field | promise |
//! |---|---|
//! | `people` | up to 1000 people who hold at least one post on `as_of` (`person.positions(on:)` is not empty) |
//! | `name_prefixes` | up to 200 folded prefixes (lowercase, no diacritics, đ → d) of real people's full names, family name first, 1 to 3 words, the last possibly cut short: `people(name:)` finds at least one person for each |
//! | `task_units` | up to 200 organizations, each with a day on which it leads at least one overdue task: `tasks(assignee:, leadOnly: true, timeliness: OVERDUE, asOf:)` finds at least one (and so does it without `leadOnly`) |
//! | `award_authorities` | up to 200 (organization, year) pairs: `awardDecisions(authority:, year:)` finds at least one |
//! | `appointments` | up to 200 unlimited-seat posts of living organizations with a start day (`as_of`): appointing any person of `people_for_appointment` who does not already hold the post breaks no rule |
//! | `progress_tasks` | up to 500 tasks in progress: a progress report dated from their assignment to `as_of` is accepted |
//! | `people_for_appointment` | up to 2000 living people who hold none of the `appointments` posts, so each may be appointed to each of them once (the load generator draws each pair at most once per run) |
//!
//! Values are drawn by reservoir sampling with the dataset's seed, so the same seed gives the
//! same sample.

use chrono::NaiveDate;
use gazette_domain::ids::{OrganizationId, PersonId, PostId, TaskId};
use gazette_domain::text::fold;
use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// A lead unit with a day on which it has an overdue task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskUnit {
    /// The organization (the `assignee` of the tasks query).
    pub organization: OrganizationId,
    /// The day to judge timeliness on (`asOf`).
    #[serde(with = "iso_date")]
    pub as_of: NaiveDate,
}

/// An issuing authority and a year in which it made at least one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardAuthority {
    /// The authority (the `authority` of the awardDecisions query).
    pub organization: OrganizationId,
    /// The year (signing year) of at least one of its decisions.
    pub year: i32,
}

/// A post open to new appointments, and a day a new holding may start on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// An unlimited-seat post.
    pub post: PostId,
    /// The first day of the new holding.
    #[serde(with = "iso_date")]
    pub start: NaiveDate,
}

/// The sample file's content; its field names and shapes are a contract with the load
/// generator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// The size given ("s", "m", "l").
    pub size: String,
    /// The seed.
    pub seed: u64,
    /// The dataset's date.
    #[serde(with = "iso_date")]
    pub as_of: NaiveDate,
    /// People holding a post on `as_of`.
    pub people: Vec<PersonId>,
    /// Name prefixes that find people.
    pub name_prefixes: Vec<String>,
    /// Lead units with an overdue task on a day.
    pub task_units: Vec<TaskUnit>,
    /// Authorities with a decision in a year.
    pub award_authorities: Vec<AwardAuthority>,
    /// Posts open to appointments.
    pub appointments: Vec<Appointment>,
    /// Tasks in progress.
    pub progress_tasks: Vec<TaskId>,
    /// Living people free to appoint.
    pub people_for_appointment: Vec<PersonId>,
}

mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&day.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(serde::de::Error::custom)
    }
}

/// Algorithm R: a uniform sample of at most `capacity` items from a stream.
#[derive(Debug, Clone)]
struct Reservoir<T> {
    capacity: usize,
    seen: u64,
    items: Vec<T>,
}

impl<T> Reservoir<T> {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            seen: 0,
            items: Vec::with_capacity(capacity),
        }
    }

    fn offer(&mut self, rng: &mut Rng, item: T) {
        self.seen += 1;
        if self.items.len() < self.capacity {
            self.items.push(item);
        } else {
            let slot = rng.below(self.seen);
            if let Some(kept) = usize::try_from(slot)
                .ok()
                .and_then(|slot| self.items.get_mut(slot))
            {
                *kept = item;
            }
        }
    }
}

/// One offer to the sample.
#[derive(Debug)]
enum Offer {
    Person {
        id: PersonId,
        full_name: String,
        active: bool,
        living: bool,
        unlimited_posts: Vec<PostId>,
    },
    TaskUnit(OrganizationId, NaiveDate),
    Authority(OrganizationId, i32),
    OpenPost(PostId),
    TaskInProgress(TaskId),
}

/// A province's offers to the sample, kept in the order made until [`SampleBuilder::take`]
/// hears them: provinces are generated at once, and the sample hears them in province order,
/// so it draws the same values whichever province is finished first.
#[derive(Debug, Default)]
pub struct SampleOffers {
    offers: Vec<Offer>,
}

impl SampleOffers {
    /// A person of the data: `active` when they hold a post on the dataset's date, `living`
    /// when they have not died, with the unlimited-seat posts they ever held.
    pub fn person(
        &mut self,
        id: PersonId,
        full_name: &str,
        active: bool,
        living: bool,
        unlimited_posts: Vec<PostId>,
    ) {
        self.offers.push(Offer::Person {
            id,
            full_name: full_name.to_owned(),
            active,
            living,
            unlimited_posts,
        });
    }

    /// An organization leading an overdue task on `as_of`.
    pub fn task_unit(&mut self, organization: OrganizationId, as_of: NaiveDate) {
        self.offers.push(Offer::TaskUnit(organization, as_of));
    }

    /// An authority with a decision in `year`.
    pub fn authority(&mut self, organization: OrganizationId, year: i32) {
        self.offers.push(Offer::Authority(organization, year));
    }

    /// An unlimited-seat post of a living organization.
    pub fn open_post(&mut self, post: PostId) {
        self.offers.push(Offer::OpenPost(post));
    }

    /// A task in progress.
    pub fn task_in_progress(&mut self, task: TaskId) {
        self.offers.push(Offer::TaskInProgress(task));
    }
}

/// Collects the sample over the provinces, with its own random stream so that it does not
/// change the data.
#[derive(Debug)]
pub struct SampleBuilder {
    rng: Rng,
    people: Reservoir<PersonId>,
    names: Reservoir<String>,
    task_units: Reservoir<TaskUnit>,
    authorities: Reservoir<AwardAuthority>,
    posts: Reservoir<PostId>,
    progress: Reservoir<TaskId>,
    appointable: Reservoir<(PersonId, Vec<PostId>)>,
}

impl SampleBuilder {
    /// An empty sample drawn with `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::new(seed),
            people: Reservoir::new(1000),
            names: Reservoir::new(200),
            task_units: Reservoir::new(200),
            authorities: Reservoir::new(200),
            posts: Reservoir::new(200),
            progress: Reservoir::new(500),
            appointable: Reservoir::new(2000),
        }
    }

    /// Hears a province's offers, in the order they were made.
    pub fn take(&mut self, offers: SampleOffers) {
        let rng = &mut self.rng;
        for offer in offers.offers {
            match offer {
                Offer::Person {
                    id,
                    full_name,
                    active,
                    living,
                    unlimited_posts,
                } => {
                    if active {
                        self.people.offer(rng, id);
                    }
                    self.names.offer(rng, full_name);
                    if living {
                        self.appointable.offer(rng, (id, unlimited_posts));
                    }
                }
                Offer::TaskUnit(organization, as_of) => self.task_units.offer(
                    rng,
                    TaskUnit {
                        organization,
                        as_of,
                    },
                ),
                Offer::Authority(organization, year) => self
                    .authorities
                    .offer(rng, AwardAuthority { organization, year }),
                Offer::OpenPost(post) => self.posts.offer(rng, post),
                Offer::TaskInProgress(task) => self.progress.offer(rng, task),
            }
        }
    }

    /// The sample.
    #[must_use]
    pub fn finish(mut self, size: &str, seed: u64, as_of: NaiveDate) -> Sample {
        let name_prefixes = std::mem::take(&mut self.names.items)
            .iter()
            .map(|name| prefix_of(&mut self.rng, name))
            .collect();
        let posts = self.posts.items;
        let people_for_appointment = self
            .appointable
            .items
            .into_iter()
            .filter(|(_, held)| !held.iter().any(|post| posts.contains(post)))
            .map(|(id, _)| id)
            .collect();
        Sample {
            size: size.to_owned(),
            seed,
            as_of,
            people: self.people.items,
            name_prefixes,
            task_units: self.task_units.items,
            award_authorities: self.authorities.items,
            appointments: posts
                .into_iter()
                .map(|post| Appointment { post, start: as_of })
                .collect(),
            progress_tasks: self.progress.items,
            people_for_appointment,
        }
    }
}

/// A folded prefix of a full name: one to three of its first words, the last possibly cut
/// after its first letter or more ("nguyen", "tran thi", "le van h").
fn prefix_of(rng: &mut Rng, full_name: &str) -> String {
    let folded = fold(full_name);
    let words: Vec<&str> = folded.split(' ').collect();
    let count = match rng.unit() {
        r if r < 0.2 => 1,
        r if r < 0.6 => 2,
        _ => 3,
    }
    .min(words.len());
    let mut prefix: Vec<String> = words
        .iter()
        .take(count)
        .map(|word| (*word).to_owned())
        .collect();
    if count > 1
        && rng.chance(0.5)
        && let Some(last) = prefix.last_mut()
    {
        let keep = 1 + rng.index(last.chars().count().max(1));
        *last = last.chars().take(keep).collect();
    }
    prefix.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_folded_leading_words_of_the_name() {
        let mut rng = Rng::new(4);
        for _ in 0..200 {
            let prefix = prefix_of(&mut rng, "Trần Thị Vĩnh Nghi");
            assert!("tran thi vinh nghi".starts_with(&prefix), "{prefix}");
            let words = prefix.split(' ').count();
            assert!((1..=3).contains(&words), "{prefix}");
        }
        assert!(prefix_of(&mut rng, "Đặng Văn An").starts_with('d'));
    }

    #[test]
    fn a_reservoir_keeps_at_most_its_capacity_uniformly() {
        let mut rng = Rng::new(8);
        let mut counts = [0u32; 10];
        for _ in 0..4_000 {
            let mut reservoir = Reservoir::new(2);
            for item in 0..10 {
                reservoir.offer(&mut rng, item);
            }
            assert_eq!(reservoir.items.len(), 2);
            for item in reservoir.items {
                counts[item] += 1;
            }
        }
        assert!(counts.iter().all(|c| (650..950).contains(c)), "{counts:?}");
    }

    #[test]
    fn the_sample_reads_back_in_the_agreed_shape() {
        let sample = Sample {
            size: "s".to_owned(),
            seed: 42,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            people: vec![PersonId::new()],
            name_prefixes: vec!["nguyen van".to_owned()],
            task_units: vec![TaskUnit {
                organization: OrganizationId::new(),
                as_of: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            }],
            award_authorities: vec![AwardAuthority {
                organization: OrganizationId::new(),
                year: 2023,
            }],
            appointments: vec![Appointment {
                post: PostId::new(),
                start: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            }],
            progress_tasks: vec![TaskId::new()],
            people_for_appointment: vec![PersonId::new()],
        };
        let json = serde_json::to_value(&sample).unwrap();
        assert_eq!(json["as_of"], "2026-11-27");
        assert_eq!(json["task_units"][0]["as_of"], "2025-03-01");
        assert_eq!(json["award_authorities"][0]["year"], 2023);
        assert!(json["people"][0].is_string());
        assert!(json["appointments"][0]["post"].is_string());
        let back: Sample = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample);
    }
}
