//! The domain's cross-record rules, run over the generated writes in memory, in the order they
//! are written, exactly as the storage layer's single writes run them against the stored rows:
//! the seat rule and the life and death rules ([`check_holding`]), a post within its
//! organization's life, meeting chairs and directive issuers holding the posts they act in,
//! directives not before their meeting, progress reports within their task's life, an
//! authority conferring only what it may, and one achievement one award.
//!
//! The bulk load path checks only some of these (see `gazette_storage::bulk`), so the
//! generator proves the rest here: on in debug builds and tests, and with `--verify`.

use std::collections::HashMap;

use gazette_domain::award::{AwardDecision, RecipientRef, check_one_achievement_one_award};
use gazette_domain::holding::{Holding, HoldingContext, check_holding};
use gazette_domain::ids::{DirectiveId, MeetingId, OrganizationId, PersonId, PostId, TaskId};
use gazette_domain::meeting::Meeting;
use gazette_domain::organization::Organization;
use gazette_domain::person::Person;
use gazette_domain::post::Post;
use gazette_domain::task::Task;
use gazette_storage::Write;

/// What the rules need to remember of the writes seen so far (one province's worth: provinces
/// share no records, so it is cleared between them).
#[derive(Debug, Default)]
pub struct Verifier {
    organizations: HashMap<OrganizationId, Organization>,
    posts: HashMap<PostId, Post>,
    people: HashMap<PersonId, Person>,
    holdings_of_post: HashMap<PostId, Vec<Holding>>,
    holdings_of_person: HashMap<PersonId, Vec<Holding>>,
    meetings: HashMap<MeetingId, Meeting>,
    directives: HashMap<DirectiveId, ()>,
    tasks: HashMap<TaskId, Task>,
    decisions: Vec<AwardDecision>,
    decisions_of_recipient: HashMap<RecipientRef, Vec<usize>>,
    /// How many writes were checked.
    pub checked: u64,
}

impl Verifier {
    /// Forgets everything (between provinces).
    pub fn clear(&mut self) {
        let checked = self.checked;
        *self = Self::default();
        self.checked = checked;
    }

    /// Checks one write against the writes before it; the error says which rule broke.
    pub fn check(&mut self, write: &Write) -> Result<(), String> {
        self.checked += 1;
        match write {
            Write::CreateOrganization(organization) => {
                if let Some(parent) = organization.parent
                    && !self.organizations.contains_key(&parent)
                {
                    return Err(format!(
                        "organization {} names parent {parent}, not written before it",
                        organization.id()
                    ));
                }
                self.organizations
                    .insert(organization.id(), organization.clone());
            }
            Write::CreatePost(post) => {
                let organization = self.organization(post.organization)?;
                post.check_organization(organization)
                    .map_err(|e| e.to_string())?;
                self.posts.insert(post.id(), post.clone());
            }
            Write::CreatePerson(person) => {
                self.people.insert(person.id(), person.clone());
            }
            Write::Appoint(holding) => {
                let post = self
                    .posts
                    .get(&holding.post)
                    .ok_or_else(|| format!("holding {} names an unknown post", holding.id()))?;
                let organization = self.organization(post.organization)?;
                let person = self
                    .people
                    .get(&holding.person)
                    .ok_or_else(|| format!("holding {} names an unknown person", holding.id()))?;
                let others = self
                    .holdings_of_post
                    .get(&holding.post)
                    .map_or(&[][..], Vec::as_slice);
                check_holding(
                    holding,
                    HoldingContext {
                        person,
                        post,
                        organization,
                        holdings_of_post: others,
                    },
                )
                .map_err(|e| e.to_string())?;
                self.holdings_of_post
                    .entry(holding.post)
                    .or_default()
                    .push(holding.clone());
                self.holdings_of_person
                    .entry(holding.person)
                    .or_default()
                    .push(holding.clone());
            }
            Write::RecordMeeting(meeting) => {
                self.organization(meeting.organizer)?;
                let holdings = self.holdings_of(
                    meeting
                        .chairs
                        .iter()
                        .chain(&meeting.attendees)
                        .map(|p| p.person),
                );
                meeting
                    .check_capacities(&holdings)
                    .map_err(|e| e.to_string())?;
                self.meetings.insert(meeting.id(), meeting.clone());
            }
            Write::IssueDirective(directive) => {
                let holdings = self.holdings_of([directive.issuer.person]);
                directive
                    .check_issuer(&holdings)
                    .map_err(|e| e.to_string())?;
                if let Some(meeting) = directive.meeting {
                    let meeting = self.meetings.get(&meeting).ok_or_else(|| {
                        format!("directive {} names an unknown meeting", directive.id())
                    })?;
                    directive
                        .check_meeting(meeting)
                        .map_err(|e| e.to_string())?;
                }
                self.directives.insert(directive.id(), ());
            }
            Write::AddTask(task) => {
                if !self.directives.contains_key(&task.directive) {
                    return Err(format!("task {} names an unknown directive", task.id()));
                }
                for assignee in task
                    .lead
                    .iter()
                    .chain(&task.cooperating)
                    .chain(&task.addressees)
                {
                    if let Some(organization) = assignee.organization() {
                        self.organization(organization)?;
                    }
                }
                self.tasks.insert(task.id(), task.clone());
            }
            Write::ReportProgress(report) => {
                let task = self
                    .tasks
                    .get(&report.task)
                    .ok_or_else(|| format!("report {} names an unknown task", report.id()))?;
                report.check_task(task).map_err(|e| e.to_string())?;
            }
            Write::RecordAwardDecision(decision) => {
                let authority = self.organization(decision.authority)?;
                decision
                    .check_authority(authority)
                    .map_err(|e| e.to_string())?;
                let mut rivals: Vec<usize> = decision
                    .recipients
                    .iter()
                    .filter_map(|r| self.decisions_of_recipient.get(&r.recipient))
                    .flatten()
                    .copied()
                    .collect();
                rivals.sort_unstable();
                rivals.dedup();
                let existing: Vec<AwardDecision> = rivals
                    .iter()
                    .filter_map(|i| self.decisions.get(*i))
                    .filter(|other| other.achievement.key() == decision.achievement.key())
                    .cloned()
                    .collect();
                check_one_achievement_one_award(decision, &existing).map_err(|e| e.to_string())?;
                let index = self.decisions.len();
                for recipient in &decision.recipients {
                    self.decisions_of_recipient
                        .entry(recipient.recipient)
                        .or_default()
                        .push(index);
                }
                self.decisions.push(decision.clone());
            }
            _ => {}
        }
        Ok(())
    }

    fn organization(&self, id: OrganizationId) -> Result<&Organization, String> {
        self.organizations
            .get(&id)
            .ok_or_else(|| format!("organization {id} was not written before it is named"))
    }

    fn holdings_of(&self, people: impl IntoIterator<Item = PersonId>) -> Vec<Holding> {
        people
            .into_iter()
            .filter_map(|person| self.holdings_of_person.get(&person))
            .flatten()
            .cloned()
            .collect()
    }
}
