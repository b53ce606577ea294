//! What the province's leaders do: meetings, directives and their tasks with their lifecycle
//! and progress reports, news articles that report them, and award decisions.
//!
//! Every record is made so that the rules the single writes check hold: a meeting's chairs and
//! a directive's issuer hold the posts they act in on the day (they are taken from the lane
//! holding the post that day); a directive is not dated before its meeting; a task's lifecycle
//! follows the state machine and no change is dated after the dataset's date; a progress report
//! falls within its task's life; an authority only confers what it may (a commune's People's
//! Committee never a Bằng khen); and no recipient gets two awards for one achievement (the
//! generator remembers every recipient's (field, period) pairs in the province).

use std::collections::{BTreeSet, HashSet};
use std::num::NonZeroU32;

use chrono::{Datelike, NaiveDate, NaiveTime};
use gazette_domain::award::form::{AwardForm, RecipientKind, SignerCapacity, SigningMode};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::award::{
    Achievement, AchievementPeriod, AwardDecision, AwardDecisionDetails, DecisionStatus,
    NamedRecipient, Presentation, RecipientRef, Signer, UnnamedRecipients,
};
use gazette_domain::date::{PartialDate, PartialDateTime};
use gazette_domain::directive::{Assignee, Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::ids::{
    AwardDecisionId, CitationId, DirectiveId, MeetingId, ProgressReportId, SourceId, TaskId,
};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::post::Seats;
use gazette_domain::source::{
    Citation, CitationDetails, Source, SourceDetails, SourceKind, Subject, Url,
};
use gazette_domain::task::{
    Lifecycle, LifecycleChange, Percent, ProgressReport, ProgressReportDetails, Task, TaskDetails,
};
use gazette_domain::text::Prose;
use gazette_storage::Write;

use super::rng::{Weighted, add_days};
use super::texts;
use super::world::{Issuer, Role, World, text};
use super::{AS_OF, BenchDataError, built, day};

/// What the sample file may draw from one province.
#[derive(Debug, Default)]
pub struct Candidates {
    /// For each organization (by index), a day on which it leads an overdue task, and how many
    /// such tasks were seen (for picking one of them uniformly).
    pub overdue: Vec<Option<(NaiveDate, u32)>>,
    /// Tasks in progress now.
    pub in_progress: Vec<TaskId>,
    /// (authority, year) pairs with a decision.
    pub authorities: BTreeSet<(u32, i32)>,
}

/// Counts of rows beyond the writes themselves.
#[derive(Debug, Default, Clone, Copy)]
pub struct Extras {
    /// Named award recipients.
    pub named_recipients: u64,
    /// Households and collectives counted without names.
    pub unnamed_recipients: u64,
    /// Tasks by their state now.
    pub lifecycle: [u64; 6],
    /// Tasks completed after their deadline.
    pub completed_late: u64,
    /// Open tasks past their deadline on the dataset's date.
    pub overdue_now: u64,
}

impl Extras {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Self) {
        self.named_recipients += other.named_recipients;
        self.unnamed_recipients += other.unnamed_recipients;
        for (mine, theirs) in self.lifecycle.iter_mut().zip(other.lifecycle) {
            *mine += theirs;
        }
        self.completed_late += other.completed_late;
        self.overdue_now += other.overdue_now;
    }
}

/// Per-province memory of which recipient got which achievement.
#[derive(Debug, Default)]
pub struct Rewarded {
    seen: HashSet<(u64, usize, i32, i32)>,
}

/// The first day directives and awards are generated for.
fn activity_start() -> Result<NaiveDate, BenchDataError> {
    day(2016, 1, 1)
}

/// A day for an event: 40% of them in the last year, the rest spread since 2016.
fn event_day(world: &mut World<'_>) -> Result<NaiveDate, BenchDataError> {
    let year_ago = add_days(AS_OF, -365);
    Ok(if world.rng.chance(0.4) {
        world.rng.day_between(year_ago, add_days(AS_OF, -1))
    } else {
        world
            .rng
            .day_between(activity_start()?, add_days(year_ago, -1))
    })
}

/// The base salary (lương cơ sở) in force on `day`, in đồng.
fn base_salary(day: NaiveDate) -> u64 {
    const STEPS: [(i32, u32, u64); 7] = [
        (2024, 7, 2_340_000),
        (2023, 7, 1_800_000),
        (2019, 7, 1_490_000),
        (2018, 7, 1_390_000),
        (2017, 7, 1_300_000),
        (2016, 5, 1_210_000),
        (2013, 7, 1_150_000),
    ];
    for (year, month, amount) in STEPS {
        if (day.year(), day.month()) >= (year, month) {
            return amount;
        }
    }
    1_050_000
}

impl World<'_> {
    /// The holder of lane `lane` on `day`, with the posts they act in: the lane's post and,
    /// when `with_concurrent`, the one-seat concurrent post their main post carries (the Phó
    /// Bí thư Thường trực who chairs the People's Council).
    fn participant_on(
        &mut self,
        lane: u32,
        day: NaiveDate,
        with_concurrent: bool,
    ) -> Option<(u32, Participant)> {
        let record = self.lanes.get(lane as usize)?;
        let tenure = record.tenure_on(day)?;
        let person = tenure.person;
        let mut capacities = vec![self.posts.get(record.post as usize)?.post.id()];
        if with_concurrent {
            for concurrent in &record.bundle {
                let post = self.posts.get(concurrent.post as usize)?;
                let begun = self.calendars.get(concurrent.cal).starts[0] <= day;
                if begun && post.post.seats == Seats::ONE {
                    capacities.push(post.post.id());
                }
            }
        }
        let id = self.people.get(person as usize)?.id;
        Some((
            person,
            Participant {
                person: id,
                capacities,
            },
        ))
    }

    /// Lanes of bodies in `scope` whose heads may attend a meeting.
    fn attendee_lanes(&self, scope: u32, day: NaiveDate) -> Vec<u32> {
        let Some(record) = self.scopes.get(scope as usize) else {
            return Vec::new();
        };
        record
            .departments
            .iter()
            .chain(&record.mass)
            .chain(std::iter::once(&record.front))
            .filter_map(|org| self.orgs.get(*org as usize))
            .filter(|org| org.alive_on(day))
            .filter_map(|org| org.head_lane)
            .collect()
    }

    /// Organizations in `scope` that can lead or share a task on `day`.
    fn task_units(&mut self, scope: u32, day: NaiveDate, party: bool) -> Vec<u32> {
        let Some(record) = self.scopes.get(scope as usize) else {
            return Vec::new();
        };
        let mut units: Vec<u32> = record
            .departments
            .iter()
            .chain(&record.mass)
            .copied()
            .collect();
        units.push(record.front);
        if party {
            units.extend(record.boards.iter().copied());
            if scope > 0 {
                units.push(record.committee);
            }
        }
        if scope == 0 && self.scopes.len() > 1 {
            // Provincial directives also go to communes' People's Committees.
            for _ in 0..3 {
                let commune = 1 + self.rng.index(self.scopes.len() - 1);
                if let Some(other) = self.scopes.get(commune) {
                    units.push(other.committee);
                }
            }
        }
        let mut seen = HashSet::new();
        units
            .into_iter()
            .filter(|org| seen.insert(*org))
            .filter(|org| {
                self.orgs
                    .get(*org as usize)
                    .is_some_and(|o| o.alive_on(day))
            })
            .collect()
    }

    /// A scope for an event: the province itself with probability `province`, else a commune.
    fn event_scope(&mut self, province: f64) -> u32 {
        if self.scopes.len() <= 1 || self.rng.chance(province) {
            0
        } else {
            u32::try_from(1 + self.rng.index(self.scopes.len() - 1)).unwrap_or(0)
        }
    }

    fn ids_meeting(&mut self) -> MeetingId {
        MeetingId::from_uuid(self.ids.next_uuid())
    }

    /// One directive with its meeting (when it was given at one), tasks, progress reports,
    /// and the news article citing them. Returns `false` when the day drawn found no issuer in
    /// office (a vacancy), writing nothing.
    pub fn directive_group(
        &mut self,
        out: &mut Vec<Write>,
        candidates: &mut Candidates,
        extras: &mut Extras,
    ) -> Result<bool, BenchDataError> {
        let scope = self.event_scope(0.3);
        let issuers = self
            .scopes
            .get(scope as usize)
            .map(|s| s.issuers.clone())
            .unwrap_or_default();
        let Some(&lane) = self.rng.pick(&issuers) else {
            return Ok(false);
        };
        let on = event_day(self)?;
        let with_concurrent = self.rng.chance(0.5);
        let Some((issuer_person, issuer)) = self.participant_on(lane, on, with_concurrent) else {
            return Ok(false);
        };
        let party = self
            .lanes
            .get(lane as usize)
            .is_some_and(|l| l.issuer == Issuer::Party);
        let scope_record = self.scopes.get(scope as usize).cloned().unwrap_or_default();
        let place = if scope == 0 {
            self.province.qualified()
        } else {
            format!(
                "{} {}",
                if scope_record.ward {
                    "phường"
                } else {
                    "xã"
                },
                scope_record.name
            )
        };
        let topic = texts::topic(&mut self.rng, on.year());

        // The meeting, for most directives.
        let mut meeting_record = None;
        if self.rng.chance(0.6) {
            let organizer = if party {
                scope_record.standing
            } else {
                scope_record.committee
            };
            let (kind, title) = self.meeting_title(party, scope, &place, on, topic);
            let mut chairs = vec![issuer.clone()];
            let mut people = vec![issuer_person];
            if self.rng.chance(0.3)
                && let Some(&other) = self.rng.pick(&issuers)
                && other != lane
                && let Some((person, participant)) = self.participant_on(other, on, true)
                && !people.contains(&person)
            {
                people.push(person);
                chairs.push(participant);
            }
            let mut attendees = Vec::new();
            let attendee_lanes = self.attendee_lanes(scope, on);
            for _ in 0..self.rng.between(0, 3) {
                if let Some(&other) = self.rng.pick(&attendee_lanes)
                    && let Some((person, participant)) = self.participant_on(other, on, false)
                    && !people.contains(&person)
                {
                    people.push(person);
                    attendees.push(participant);
                }
            }
            let held_at = if self.rng.chance(0.7) {
                let hour = if self.rng.chance(0.6) { 8 } else { 14 };
                let time = NaiveTime::from_hms_opt(hour, 0, 0);
                built(
                    "a meeting's time",
                    PartialDateTime::new(PartialDate::from(on), time),
                )?
            } else {
                PartialDateTime::from(PartialDate::from(on))
            };
            let seat = self
                .orgs
                .get(organizer as usize)
                .map(|o| o.org.name.to_string())
                .unwrap_or_default();
            let details = MeetingDetails {
                title: text(&title)?,
                kind,
                organizer: self.org_id(organizer)?,
                held_at,
                location: Some(text(&texts::location(&mut self.rng, &seat))?),
                chairs,
                attendees,
                agenda: Vec::new(),
            };
            let meeting = built("a meeting", Meeting::new(self.ids_meeting(), details))?;
            meeting_record = Some(meeting);
        }

        let code = if party {
            self.orgs
                .get(scope_record.party as usize)
                .map_or("TU", |o| o.code)
        } else {
            "UBND"
        };
        let number = self.document_number();
        let (kind, document_number) = match (&meeting_record, self.rng.unit()) {
            (Some(_), _) if party => (DirectiveKind::DirectingSpeech, None),
            (Some(_), _) => (DirectiveKind::Conclusion, None),
            (None, r) if r < 0.4 => {
                let raw = if party {
                    format!("{number}-CT/{code}")
                } else {
                    format!("{number}/CT-{code}")
                };
                (DirectiveKind::DirectiveDocument, Some(raw))
            }
            (None, r) if r < 0.85 => {
                let raw = if party {
                    format!("{number}-TB/{code}")
                } else {
                    format!("{number}/TB-{code}")
                };
                (DirectiveKind::ConclusionNotice, Some(raw))
            }
            (None, _) => (DirectiveKind::Other, None),
        };
        let summary = match kind {
            DirectiveKind::DirectingSpeech => {
                format!("Phát biểu chỉ đạo về công tác {topic} tại hội nghị")
            }
            DirectiveKind::Conclusion => format!("Kết luận về công tác {topic}"),
            DirectiveKind::DirectiveDocument => format!("Chỉ thị về tăng cường công tác {topic}"),
            DirectiveKind::ConclusionNotice => {
                format!("Thông báo kết luận về công tác {topic}")
            }
            _ => format!("Yêu cầu các đơn vị triển khai công tác {topic}"),
        };

        // The tasks.
        let units = self.task_units(scope, on, party);
        if units.is_empty() {
            return Ok(false);
        }
        let directive_id = DirectiveId::from_uuid(self.ids.next_uuid());
        let count = self.rng.geometric(4.3, 1, 12);
        let mut tasks = Vec::new();
        let mut reports = Vec::new();
        let mut addressees: Vec<Assignee> = Vec::new();
        for position in 1..=count {
            let Some(&lead) = self.rng.pick(&units) else {
                break;
            };
            let lead_assignee = Assignee::Organization {
                id: self.org_id(lead)?,
            };
            let mut cooperating = Vec::new();
            for _ in 0..self.rng.between(0, 2) {
                if let Some(&other) = self.rng.pick(&units) {
                    let assignee = Assignee::Organization {
                        id: self.org_id(other)?,
                    };
                    if other != lead && !cooperating.contains(&assignee) {
                        cooperating.push(assignee);
                    }
                }
            }
            if !addressees.contains(&lead_assignee) {
                addressees.push(lead_assignee.clone());
            }
            let deadline = self
                .rng
                .chance(0.8)
                .then(|| add_days(on, self.rng.between(30, 365)));
            let mut details = TaskDetails::new(
                directive_id,
                position,
                built(
                    "a task's text",
                    Prose::parse(texts::task_text(&mut self.rng, topic, deadline)),
                )?,
                on,
            );
            details.lead = Some(lead_assignee);
            details.cooperating = cooperating;
            details.deadline = deadline;
            details.history = self.lifecycle(on, deadline)?;
            let task = built(
                "a task",
                Task::new(TaskId::from_uuid(self.ids.next_uuid()), details),
            )?;
            self.note_task(&task, lead, candidates, extras);
            reports.extend(self.progress_reports(&task, lead)?);
            tasks.push(task);
        }
        if self.rng.chance(0.3) {
            let group = if scope == 0 {
                "các sở, ban, ngành"
            } else {
                "các ban, ngành, đoàn thể"
            };
            addressees.push(Assignee::Group { name: text(group)? });
        }
        let details = DirectiveDetails {
            issuer: issuer.clone(),
            kind,
            issued_on: PartialDate::from(on),
            meeting: meeting_record.as_ref().map(Meeting::id),
            document_number: document_number
                .map(|raw| built("a document number", DocumentNumber::parse(&raw)))
                .transpose()?,
            summary: built("a summary", Prose::parse(&summary))?,
            addressees,
        };
        let directive = built("a directive", Directive::new(directive_id, details))?;

        // The article, for half of the meetings.
        let article = match &meeting_record {
            Some(meeting) if self.rng.chance(0.5) => {
                let headline = meeting.title.to_string();
                Some(self.article(&headline, on)?)
            }
            _ => None,
        };
        let meeting_id = meeting_record.as_ref().map(Meeting::id);
        if let Some(meeting) = meeting_record {
            out.push(Write::RecordMeeting(meeting));
        }
        out.push(Write::IssueDirective(directive));
        out.extend(tasks.into_iter().map(Write::AddTask));
        out.extend(reports.into_iter().map(Write::ReportProgress));
        if let Some(source) = article {
            let source_id = source.id();
            out.push(Write::CreateSource(source));
            if let Some(meeting) = meeting_id {
                out.push(self.citation(source_id, Subject::Meeting(meeting), None)?);
            }
            out.push(self.citation(source_id, Subject::Directive(directive_id), None)?);
            let holding = self
                .lanes
                .get(lane as usize)
                .and_then(|l| l.tenure_on(on))
                .map(|t| t.holding);
            if let Some(holding) = holding {
                let name = self
                    .people
                    .get(issuer_person as usize)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let note = text(&format!("đồng chí {name}"))?;
                out.push(self.citation(source_id, Subject::Holding(holding), Some(note))?);
            }
        }
        Ok(true)
    }

    fn meeting_title(
        &mut self,
        party: bool,
        scope: u32,
        place: &str,
        on: NaiveDate,
        topic: &str,
    ) -> (MeetingKind, String) {
        let (month, year) = (on.month(), on.year());
        let party_name = if scope == 0 {
            self.province.party_committee()
        } else {
            format!("Đảng ủy {place}")
        };
        match (party, self.rng.between(0, 3)) {
            (true, 0) => (
                MeetingKind::Meeting,
                format!("Hội nghị Ban Thường vụ {party_name} tháng {month}/{year}"),
            ),
            (true, 1) => (
                MeetingKind::Conference,
                format!("Hội nghị tổng kết công tác {topic} năm {}", year - 1),
            ),
            (true, _) => (
                MeetingKind::Conference,
                format!("Hội nghị sơ kết công tác {topic} 6 tháng đầu năm {year}"),
            ),
            (false, 0) => (
                MeetingKind::Meeting,
                format!("Phiên họp thường kỳ tháng {month}/{year} của UBND {place}"),
            ),
            (false, 1) => (
                MeetingKind::WorkingSession,
                format!("Buổi làm việc về công tác {topic}"),
            ),
            (false, _) => (
                MeetingKind::Conference,
                format!("Hội nghị triển khai công tác {topic} năm {year}"),
            ),
        }
    }

    /// A task's lifecycle as of the dataset's date: older tasks are mostly closed, recent ones
    /// mostly open, about 60% completed overall (15% of those late), 20% in progress.
    fn lifecycle(
        &mut self,
        assigned: NaiveDate,
        deadline: Option<NaiveDate>,
    ) -> Result<Vec<LifecycleChange>, BenchDataError> {
        use Lifecycle::{AwaitingConfirmation, Cancelled, Completed, InProgress, Suspended};
        let age = (AS_OF - assigned).num_days();
        // Shares of: completed, in progress, not started, suspended, awaiting, cancelled.
        let shares: [f64; 6] = if age < 60 {
            [0.15, 0.45, 0.35, 0.0, 0.03, 0.02]
        } else if age < 365 {
            [0.48, 0.42, 0.03, 0.02, 0.03, 0.02]
        } else {
            [0.77, 0.06, 0.01, 0.02, 0.01, 0.13]
        };
        let outcome = Weighted::new(shares).draw(&mut self.rng);
        let last_day = add_days(AS_OF, -1);
        let started = add_days(assigned, self.rng.between(0, 7))
            .min(last_day)
            .max(assigned);
        let change = |to, on| LifecycleChange { to, on, note: None };
        let mut history = Vec::new();
        match outcome {
            0 => {
                let late = deadline.is_some() && self.rng.chance(0.2);
                let completed = match deadline {
                    Some(deadline) if late && add_days(deadline, 1) <= last_day => self
                        .rng
                        .day_between(add_days(deadline, 1), add_days(deadline, 90).min(last_day)),
                    Some(deadline) => self.rng.day_between(started, deadline),
                    None => add_days(started, self.rng.between(7, 200)),
                };
                if completed > last_day {
                    // Not done yet after all: still in progress.
                    history.push(change(InProgress, started));
                } else {
                    if started < completed {
                        history.push(change(InProgress, started));
                    }
                    if self.rng.chance(0.3) {
                        let awaiting = add_days(completed, -self.rng.between(1, 10));
                        if awaiting > started {
                            history.push(change(AwaitingConfirmation, awaiting));
                        }
                    }
                    history.push(change(Completed, completed));
                }
            }
            1 => {
                history.push(change(InProgress, started));
                if self.rng.chance(0.05) && add_days(started, 30) < last_day {
                    let paused = self
                        .rng
                        .day_between(add_days(started, 1), add_days(last_day, -20));
                    let resumed = self.rng.day_between(add_days(paused, 1), last_day);
                    history.push(change(Suspended, paused));
                    history.push(change(InProgress, resumed));
                }
            }
            2 => {}
            3 | 4 => {
                history.push(change(InProgress, started));
                let to = if outcome == 3 {
                    Suspended
                } else {
                    AwaitingConfirmation
                };
                let on = self.rng.day_between(started, last_day);
                history.push(change(to, on));
            }
            _ => {
                if self.rng.chance(0.5) {
                    history.push(change(InProgress, started));
                }
                let on = self
                    .rng
                    .day_between(started, add_days(started, 400).min(last_day));
                history.push(change(Cancelled, on));
            }
        }
        Ok(history)
    }

    fn note_task(
        &mut self,
        task: &Task,
        lead: u32,
        candidates: &mut Candidates,
        extras: &mut Extras,
    ) {
        let state = task.lifecycle();
        if let Some(slot) = extras
            .lifecycle
            .get_mut(Lifecycle::ALL.iter().position(|s| *s == state).unwrap_or(0))
        {
            *slot += 1;
        }
        if let (Some(deadline), Some(completed)) = (task.deadline, task.completed_on())
            && completed > deadline
        {
            extras.completed_late += 1;
        }
        if let Some(deadline) = task.deadline
            && task.closed_on().is_none()
            && deadline < AS_OF
        {
            extras.overdue_now += 1;
        }
        if state == Lifecycle::InProgress {
            candidates.in_progress.push(task.id());
        }
        // A day on which the task was open and past its deadline: the lead unit has an overdue
        // task as of that day.
        if let Some(deadline) = task.deadline {
            let first = add_days(deadline, 1);
            let last = task
                .closed_on()
                .map_or(AS_OF, |closed| add_days(closed, -1))
                .min(AS_OF);
            if first <= last {
                let on = self.rng.day_between(first, last);
                let index = lead as usize;
                if candidates.overdue.len() <= index {
                    candidates.overdue.resize(index + 1, None);
                }
                if let Some(slot) = candidates.overdue.get_mut(index) {
                    *slot = match *slot {
                        None => Some((on, 1)),
                        Some((kept, seen)) => {
                            let seen = seen + 1;
                            if self.rng.below(u64::from(seen)) == 0 {
                                Some((on, seen))
                            } else {
                                Some((kept, seen))
                            }
                        }
                    };
                }
            }
        }
    }

    fn progress_reports(
        &mut self,
        task: &Task,
        lead: u32,
    ) -> Result<Vec<ProgressReport>, BenchDataError> {
        let Some(started) = task
            .history
            .iter()
            .find(|c| c.to == Lifecycle::InProgress)
            .map(|c| c.on)
        else {
            return Ok(Vec::new());
        };
        let last = task.closed_on().unwrap_or(AS_OF).min(AS_OF);
        let count = self.rng.geometric(0.8, 0, 4);
        let mut days: Vec<NaiveDate> = (0..count)
            .map(|_| self.rng.day_between(started, last))
            .collect();
        days.sort();
        let mut percent = 0;
        let reporter = Some(self.org_id(lead)?);
        let mut reports = Vec::new();
        for on in days {
            percent = (percent + self.rng.between_u32(10, 35)).min(95);
            reports.push(self.report(task, on, percent, reporter)?);
        }
        if let Some(completed) = task.completed_on()
            && self.rng.chance(0.5)
        {
            reports.push(self.report(task, completed, 100, reporter)?);
        }
        Ok(reports)
    }

    fn report(
        &mut self,
        task: &Task,
        on: NaiveDate,
        percent: u32,
        reporter: Option<gazette_domain::ids::OrganizationId>,
    ) -> Result<ProgressReport, BenchDataError> {
        let details = ProgressReportDetails {
            task: task.id(),
            reported_on: on,
            reporter,
            note: built(
                "a progress note",
                Prose::parse(texts::progress_note(&mut self.rng, percent)),
            )?,
            percent: Some(built("a percentage", Percent::new(percent))?),
        };
        built(
            "a progress report",
            ProgressReport::new(ProgressReportId::from_uuid(self.ids.next_uuid()), details),
        )
    }

    /// A news article of the provincial paper, published on `on` or the day after.
    fn article(&mut self, headline: &str, on: NaiveDate) -> Result<Source, BenchDataError> {
        let published = add_days(on, self.rng.between(0, 1)).min(AS_OF);
        let time =
            NaiveTime::from_hms_opt(self.rng.between_u32(5, 21), self.rng.between_u32(0, 59), 0);
        let id = SourceId::from_uuid(self.ids.next_uuid());
        let mut details = SourceDetails::new(SourceKind::NewsArticle, text(headline)?);
        details.publisher = Some(text(self.province.publisher)?);
        details.url = Some(built(
            "a web address",
            Url::parse(&format!(
                "https://bao-{}.example/tin-tuc/{}.html",
                self.province.slug,
                id.as_uuid().simple()
            )),
        )?);
        details.published_at = Some(built(
            "a publication time",
            PartialDateTime::new(PartialDate::from(published), time),
        )?);
        details.byline = Some(text(&self.names_byline())?);
        if self.rng.chance(0.6) {
            details.photo_credits = vec![text(&self.names_byline())?];
        }
        built("a source", Source::new(id, details))
    }

    fn names_byline(&mut self) -> String {
        let names = self.names;
        names.byline(&mut self.rng)
    }

    fn citation(
        &mut self,
        source: SourceId,
        subject: Subject,
        note: Option<gazette_domain::text::Text>,
    ) -> Result<Write, BenchDataError> {
        let details = CitationDetails {
            source,
            subject,
            note,
        };
        let citation = match Citation::new(CitationId::from_uuid(self.ids.next_uuid()), details) {
            Ok(citation) => citation,
            Err(never) => match never {},
        };
        Ok(Write::Cite(citation))
    }

    // ----- awards ---------------------------------------------------------------------------

    /// One award decision (with the ceremony where it was presented and its article, for some
    /// provincial ones). Returns `false` when the day drawn found nobody to sign.
    pub fn award_group(
        &mut self,
        out: &mut Vec<Write>,
        candidates: &mut Candidates,
        extras: &mut Extras,
        rewarded: &mut Rewarded,
    ) -> Result<bool, BenchDataError> {
        let roll = self.rng.unit();
        let commune = if self.scopes.len() > 1 {
            u32::try_from(1 + self.rng.index(self.scopes.len() - 1)).unwrap_or(0)
        } else {
            0
        };
        let province = self.scopes.first().cloned().unwrap_or_default();
        let (authority, scope) = match roll {
            r if r < 0.44 && commune > 0 => (
                self.scopes.get(commune as usize).map_or(0, |s| s.committee),
                commune,
            ),
            r if r < 0.55 && commune > 0 => (
                self.scopes.get(commune as usize).map_or(0, |s| s.party),
                commune,
            ),
            r if r < 0.75 => match self.rng.pick(&province.departments) {
                Some(&department) => (department, 0),
                None => (province.committee, 0),
            },
            r if r < 0.90 => (province.committee, 0),
            r if r < 0.95 => (province.party, 0),
            _ => {
                let mut bodies = province.mass.clone();
                bodies.push(province.front);
                match self.rng.pick(&bodies) {
                    Some(&body) => (body, 0),
                    None => (province.committee, 0),
                }
            }
        };
        let Some(authority_record) = self.orgs.get(authority as usize).cloned() else {
            return Ok(false);
        };
        let mut signed = self.rng.day_between(activity_start()?, add_days(AS_OF, -1));
        if self.rng.chance(0.4) {
            // Year-end awards are signed early in the next year.
            let early = day(
                signed.year(),
                self.rng.between_u32(1, 3),
                self.rng.between_u32(1, 28),
            )?;
            if early < AS_OF {
                signed = early;
            }
        }
        if !authority_record.alive_on(signed) {
            return Ok(false);
        }
        let year = signed.year();

        // The signer: the head, or a deputy signing for the head.
        let deputy_signs = !authority_record.deputy_lanes.is_empty() && self.rng.chance(0.4);
        let signer_lane = if deputy_signs {
            self.rng.pick(&authority_record.deputy_lanes).copied()
        } else {
            authority_record.head_lane
        };
        let Some(signer_lane) = signer_lane else {
            return Ok(false);
        };
        let Some((signer_person, _)) = self.participant_on(signer_lane, signed, false) else {
            return Ok(false);
        };
        let head_title = authority_record
            .head_lane
            .and_then(|l| self.lanes.get(l as usize))
            .and_then(|l| self.posts.get(l.post as usize))
            .map(|p| p.post.title.as_str().to_uppercase())
            .unwrap_or_else(|| "CHỦ TỊCH".to_owned());
        let signer_title = self
            .lanes
            .get(signer_lane as usize)
            .and_then(|l| self.posts.get(l.post as usize))
            .map(|p| p.post.title.as_str().to_uppercase())
            .unwrap_or_else(|| head_title.clone());
        let capacity = match authority_record.role {
            Role::Party => built(
                "a signer's capacity",
                SignerCapacity::new(
                    SigningMode::Direct,
                    Some(text(if scope == 0 {
                        "BAN THƯỜNG VỤ"
                    } else {
                        "ĐẢNG ỦY"
                    })?),
                    None,
                    text(&signer_title)?,
                ),
            )?,
            _ if deputy_signs => built(
                "a signer's capacity",
                SignerCapacity::new(
                    SigningMode::OnBehalf,
                    None,
                    Some(text(&head_title)?),
                    text(&signer_title)?,
                ),
            )?,
            _ => SignerCapacity::direct(text(&signer_title)?),
        };

        // The form, by what the authority may confer.
        let form_roll = self.rng.unit();
        let form = match (authority_record.role, authority_record.scope) {
            (Role::Committee, 0) => match form_roll {
                r if r < 0.62 => AwardForm::CertificateOfMerit,
                r if r < 0.67 => AwardForm::EmulationFlag,
                r if r < 0.80 => AwardForm::ProvincialEmulationSoldier,
                r if r < 0.90 => AwardForm::ExcellentLabourCollective,
                _ => AwardForm::AdvancedLabourCollective,
            },
            (Role::Party, 0) => AwardForm::CertificateOfMerit,
            (Role::Committee, _) => match form_roll {
                r if r < 0.65 => AwardForm::CertificateOfCommendation,
                r if r < 0.9 => AwardForm::AdvancedWorker,
                _ => AwardForm::CulturalFamily,
            },
            (Role::Department, _) => match form_roll {
                r if r < 0.6 => AwardForm::CertificateOfCommendation,
                r if r < 0.75 => AwardForm::GrassrootsEmulationSoldier,
                r if r < 0.9 => AwardForm::AdvancedWorker,
                _ => AwardForm::AdvancedLabourCollective,
            },
            _ => AwardForm::CertificateOfCommendation,
        };
        let (individuals, collectives) = match form {
            AwardForm::CertificateOfMerit | AwardForm::CertificateOfCommendation => (true, true),
            AwardForm::EmulationFlag
            | AwardForm::ExcellentLabourCollective
            | AwardForm::AdvancedLabourCollective => (false, true),
            AwardForm::CulturalFamily => (false, false),
            _ => (true, false),
        };

        // The achievement.
        let field = texts::field(&mut self.rng, year);
        let achievement_year = if signed.month() <= 3 { year - 1 } else { year };
        let span = form == AwardForm::CertificateOfMerit
            && matches!(year, 2021 | 2026)
            && signed.month() <= 6
            && self.rng.chance(0.3);
        let period_text = if span {
            format!("{}-{}", year - 5, year - 1)
        } else {
            achievement_year.to_string()
        };
        let period = built(
            "an achievement period",
            AchievementPeriod::parse(&period_text),
        )?;
        let field_phrase = texts::field_phrase(field);
        let reason = format!("Đã có thành tích xuất sắc trong {field_phrase} năm {period_text}");
        let achievement = Achievement {
            reason: Some(built("a reason", Prose::parse(&reason))?),
            field: Some(text(field_phrase)?),
            period: Some(period),
        };

        // The recipients.
        let wanted = if individuals || collectives {
            self.rng.geometric(5.4, 1, 60)
        } else {
            0
        };
        let mut recipients = Vec::new();
        let mut chosen = HashSet::new();
        let salary = base_salary(signed);
        let (individual_factor, collective_factor) = prize_factors(&form);
        let collective_pool = if collectives {
            self.collective_pool(authority, scope, signed)
        } else {
            Vec::new()
        };
        for _ in 0..wanted {
            let collective = collectives && (!individuals || self.rng.chance(0.3));
            for _attempt in 0..6 {
                let (key, recipient, kind) = if collective {
                    let Some(&org) = self.rng.pick(&collective_pool) else {
                        break;
                    };
                    (
                        (1u64 << 32) | u64::from(org),
                        RecipientRef::Organization(self.org_id(org)?),
                        RecipientKind::Collective,
                    )
                } else {
                    let pool_scope = if scope == 0 && self.rng.chance(0.4) {
                        self.event_scope(0.0)
                    } else {
                        scope
                    };
                    let Some(person) = self
                        .scopes
                        .get(pool_scope as usize)
                        .and_then(|s| self.rng.pick(&s.people))
                        .copied()
                    else {
                        break;
                    };
                    let Some(record) = self.people.get(person as usize) else {
                        break;
                    };
                    if record.first_start > signed || !record.alive_on(signed) {
                        continue;
                    }
                    (
                        u64::from(person),
                        RecipientRef::Person(record.id),
                        RecipientKind::Individual,
                    )
                };
                let achievement_key = (key, field, period.first_year(), period.last_year());
                if chosen.contains(&key) || rewarded.seen.contains(&achievement_key) {
                    continue;
                }
                chosen.insert(key);
                rewarded.seen.insert(achievement_key);
                let factor = if kind == RecipientKind::Collective {
                    collective_factor
                } else {
                    individual_factor
                };
                recipients.push(NamedRecipient {
                    recipient,
                    kind,
                    reason: None,
                    prize_vnd: prize(salary, factor),
                });
                break;
            }
        }
        let mut unnamed = Vec::new();
        if form == AwardForm::CulturalFamily {
            let count = self.rng.between_u32(5, 80);
            unnamed.push(UnnamedRecipients {
                kind: RecipientKind::Household,
                count: NonZeroU32::new(count),
                note: Some(text(&format!(
                    "{count} hộ gia đình đạt danh hiệu Gia đình văn hóa năm {achievement_year}"
                ))?),
            });
        }
        if recipients.is_empty() && unnamed.is_empty() {
            return Ok(false);
        }
        extras.named_recipients += recipients.len() as u64;
        extras.unnamed_recipients += unnamed.len() as u64;

        let number = self.document_number();
        let raw_number = match authority_record.role {
            Role::Party => format!("{number}-QĐ/{}", authority_record.code),
            Role::Committee => format!("{number}/QĐ-UBND"),
            _ if authority_record.code.is_empty() => format!("{number}/QĐ"),
            _ => format!("{number}/QĐ-{}", authority_record.code),
        };
        let status = if self.rng.chance(0.002) {
            let on = add_days(signed, self.rng.between(30, 400)).min(add_days(AS_OF, -1));
            let revoking = self.document_number();
            DecisionStatus::Revoked {
                on: PartialDate::from(on.max(signed)),
                reason: built(
                    "a revocation reason",
                    Prose::parse("Hồ sơ đề nghị khen thưởng không trung thực"),
                )?,
                document: Some(built(
                    "a document number",
                    DocumentNumber::parse(&format!("{revoking}/QĐ-UBND")),
                )?),
            }
        } else {
            DecisionStatus::Issued
        };

        // A ceremony for some provincial decisions, reported by the paper.
        let mut ceremony = None;
        if scope == 0
            && matches!(authority_record.role, Role::Committee | Role::Party)
            && self.rng.chance(0.15)
        {
            let held = add_days(signed, self.rng.between(0, 20)).min(add_days(AS_OF, -1));
            let presenter_lane = authority_record.head_lane;
            if let Some(lane) = presenter_lane
                && let Some((_, chair)) = self.participant_on(lane, held, false)
            {
                let title = format!(
                    "Lễ trao {} cho các tập thể, cá nhân có thành tích xuất sắc trong {field_phrase}",
                    form.vietnamese_name()
                );
                let details = MeetingDetails {
                    title: text(&title)?,
                    kind: MeetingKind::Ceremony,
                    organizer: authority_record.org.id(),
                    held_at: PartialDateTime::from(PartialDate::from(held)),
                    location: None,
                    chairs: vec![chair.clone()],
                    attendees: Vec::new(),
                    agenda: Vec::new(),
                };
                let meeting = built("a ceremony", Meeting::new(self.ids_meeting(), details))?;
                ceremony = Some((meeting, chair.person, held, title));
            }
        }
        let presentations = ceremony
            .as_ref()
            .map(|(meeting, presenter, held, _)| {
                vec![Presentation {
                    meeting: Some(meeting.id()),
                    presenter: Some(*presenter),
                    date: Some(PartialDate::from(*held)),
                }]
            })
            .unwrap_or_default();
        let signer_id = self.people.get(signer_person as usize).map(|p| p.id);
        let details = AwardDecisionDetails {
            number: Some(built(
                "a decision number",
                DocumentNumber::parse(&raw_number),
            )?),
            signed_on: Some(PartialDate::from(signed)),
            authority: authority_record.org.id(),
            signer: Some(Signer {
                person: signer_id,
                capacity: Some(capacity),
            }),
            form,
            achievement,
            recipients,
            unnamed_recipients: unnamed,
            status,
            presentations,
        };
        let decision = built(
            "an award decision",
            AwardDecision::new(AwardDecisionId::from_uuid(self.ids.next_uuid()), details),
        )?;
        candidates.authorities.insert((authority, year));
        let decision_id = decision.id();
        match ceremony {
            Some((meeting, _, held, title)) => {
                let meeting_id = meeting.id();
                let source = self.article(&title, held)?;
                let source_id = source.id();
                out.push(Write::RecordMeeting(meeting));
                out.push(Write::RecordAwardDecision(decision));
                out.push(Write::CreateSource(source));
                out.push(self.citation(source_id, Subject::Meeting(meeting_id), None)?);
                out.push(self.citation(source_id, Subject::AwardDecision(decision_id), None)?);
            }
            None => out.push(Write::RecordAwardDecision(decision)),
        }
        Ok(true)
    }

    /// The collectives an authority rewards: bodies under it in its scope (and, for the
    /// province's People's Committee, communes' committees too), alive on `day`.
    fn collective_pool(&mut self, authority: u32, scope: u32, day: NaiveDate) -> Vec<u32> {
        let Some(record) = self.scopes.get(scope as usize) else {
            return Vec::new();
        };
        let mut pool: Vec<u32> = record
            .departments
            .iter()
            .chain(&record.mass)
            .chain(&record.boards)
            .copied()
            .collect();
        pool.push(record.front);
        if scope == 0 {
            let communes: Vec<u32> = self.scopes.iter().skip(1).map(|s| s.committee).collect();
            for _ in 0..6 {
                if let Some(&commune) = self.rng.pick(&communes) {
                    pool.push(commune);
                }
            }
        }
        let authority_org = self.orgs.get(authority as usize).map(|o| o.org.id());
        let mut seen = HashSet::new();
        pool.into_iter()
            .filter(|org| seen.insert(*org))
            .filter(|org| {
                self.orgs
                    .get(*org as usize)
                    .is_some_and(|o| o.alive_on(day) && Some(o.org.id()) != authority_org)
            })
            .collect()
    }
}

/// The prize as multiples of the base salary for an individual and a collective (Decree
/// 98/2023/NĐ-CP, approximately).
fn prize_factors(form: &AwardForm) -> (f64, f64) {
    match form {
        AwardForm::CertificateOfMerit => (1.0, 2.0),
        AwardForm::CertificateOfCommendation => (0.15, 0.3),
        AwardForm::EmulationFlag => (0.0, 8.0),
        AwardForm::ProvincialEmulationSoldier => (3.0, 0.0),
        AwardForm::GrassrootsEmulationSoldier => (1.0, 0.0),
        AwardForm::AdvancedWorker => (0.3, 0.0),
        AwardForm::ExcellentLabourCollective => (0.0, 1.5),
        AwardForm::AdvancedLabourCollective => (0.0, 0.8),
        _ => (0.0, 0.0),
    }
}

/// `factor` times the base salary, rounded to a thousand đồng; `None` for no prize.
fn prize(salary: u64, factor: f64) -> Option<u64> {
    if factor <= 0.0 {
        return None;
    }
    let amount = salary as f64 * factor / 1000.0;
    let thousands = amount.round() as u64;
    Some(thousands * 1000)
}
