//! Spreadsheet exports: award recipients, tasks and holdings as CSV files an office opens in
//! Excel, from the command line (`gazette export csv awards|tasks|holdings`) and, for an
//! editor, over HTTP (`GET /export/awards.csv?from=&to=`, `tasks.csv`, `holdings.csv`, and the
//! whole registry as Popolo JSON at `/export/popolo.json`).
//!
//! A file is UTF-8 with a byte order mark (so that Excel shows Vietnamese rather than mojibake),
//! fields separated by commas and quoted as RFC 4180 says (a field holding a comma, a quote or a
//! line break is quoted, its quotes doubled), lines ended by CRLF, and a header row of
//! Vietnamese column names (`docs/exchange.md` gives them in English). Dates are ISO 8601
//! (`2021-01-15`), partial dates as known (`2021-04`, `2021`). A field that begins with `=`,
//! `+` or `@`, or with `-` not followed by a space, is prefixed with an apostrophe so that a
//! spreadsheet does not run it as a formula.
//!
//! One row per recipient of an award decision (named, or a counted group), per task, per
//! holding. `--from`/`--to` (`from=`/`to=`) narrow each list: award decisions signed within
//! the period (an undated decision by the year it is filed under), tasks assigned within it,
//! holdings that may have been active at some time within it. A task's timeliness is judged
//! as of `to`, or today (in Vietnam) without it.

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate};
use gazette_domain::award::{AwardDecision, DecisionStatus, RecipientRef};
use gazette_domain::date::PartialDate;
use gazette_domain::directive::{Assignee, Directive, DirectiveKind};
use gazette_domain::holding::HoldingKind;
use gazette_domain::ids::{DirectiveId, OrganizationId, PersonId, PostId};
use gazette_domain::organization::Organization;
use gazette_domain::person::Person;
use gazette_domain::post::Post;
use gazette_domain::task::Timeliness;
use gazette_storage::export::EXPORT_PAGE_SIZE;
use gazette_storage::tokens::Role;
use gazette_storage::{Database, StorageError};

use crate::auth;
use crate::schema::error::Code;
use crate::server::AppState;

/// Which list to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    /// One row per recipient of an award decision.
    Awards,
    /// One row per task.
    Tasks,
    /// One row per holding.
    Holdings,
}

impl CsvKind {
    /// Every list.
    pub const ALL: [Self; 3] = [Self::Awards, Self::Tasks, Self::Holdings];

    /// The name on the command line and in the URL ("awards", "tasks", "holdings").
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Awards => "awards",
            Self::Tasks => "tasks",
            Self::Holdings => "holdings",
        }
    }

    /// The list with this name.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The header row.
    #[must_use]
    pub const fn header(self) -> &'static [&'static str] {
        match self {
            Self::Awards => &[
                "Số quyết định",
                "Ngày ký",
                "Cơ quan quyết định",
                "Hình thức",
                "Người/Tập thể được khen",
                "Loại",
                "Số lượng",
                "Thành tích",
                "Trạng thái",
            ],
            Self::Tasks => &[
                "Nhiệm vụ",
                "Chỉ đạo",
                "Ngày giao",
                "Đơn vị chủ trì",
                "Đơn vị phối hợp",
                "Hạn",
                "Trạng thái",
                "Tiến độ",
                "Ngày hoàn thành",
            ],
            Self::Holdings => &[
                "Họ tên",
                "Chức vụ",
                "Cơ quan",
                "Từ ngày",
                "Đến ngày",
                "Hình thức",
                "Nhiệm kỳ",
            ],
        }
    }
}

/// The period a list covers and the day timeliness is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// The first day, when the period has one.
    pub from: Option<NaiveDate>,
    /// The last day, when the period has one.
    pub to: Option<NaiveDate>,
    /// The day tasks' timeliness is judged on.
    pub as_of: NaiveDate,
}

impl CsvOptions {
    /// The options for `from..=to`, judging timeliness as of `to`, or today in Vietnam.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Self, ExportError> {
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(ExportError::Input(format!(
                "the period {from}..{to} ends before it begins"
            )));
        }
        Ok(Self {
            from,
            to,
            as_of: to.unwrap_or_else(today_in_vietnam),
        })
    }
}

/// Today's date in Vietnam (UTC+07:00).
#[must_use]
pub fn today_in_vietnam() -> NaiveDate {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    DateTime::from_timestamp(seconds + 7 * 3600, 0).map_or(NaiveDate::MIN, |at| at.date_naive())
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The arguments are wrong.
    #[error("{0}")]
    Input(String),
    /// Reading the database failed.
    #[error("reading the database: {0}")]
    Storage(#[from] StorageError),
    /// Writing the output failed.
    #[error("writing the export: {0}")]
    Io(#[from] io::Error),
}

/// Quotes a field as RFC 4180 says, and defuses what a spreadsheet would run as a formula.
#[must_use]
pub fn csv_field(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '@'])
        || (value.starts_with('-') && !value.starts_with("- ") && value != "-");
    let value = if formula {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn write_row(out: &mut impl io::Write, fields: &[String]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.write_all(line.join(",").as_bytes())?;
    out.write_all(b"\r\n")
}

fn date(value: Option<PartialDate>) -> String {
    value.map(|d| d.to_string()).unwrap_or_default()
}

fn day(value: Option<NaiveDate>) -> String {
    value
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Writes the list `kind` as CSV to `out`; returns the number of rows after the header.
pub async fn write_csv(
    db: &Database,
    kind: CsvKind,
    options: CsvOptions,
    out: &mut impl io::Write,
) -> Result<u64, ExportError> {
    let rows = match kind {
        CsvKind::Awards => award_rows(db, options).await?,
        CsvKind::Tasks => task_rows(db, options).await?,
        CsvKind::Holdings => holding_rows(db, options).await?,
    };
    out.write_all("\u{feff}".as_bytes())?;
    let header: Vec<String> = kind.header().iter().map(|h| (*h).to_owned()).collect();
    write_row(out, &header)?;
    for row in &rows {
        write_row(out, row)?;
    }
    out.flush()?;
    Ok(rows.len() as u64)
}

async fn organization_names(
    db: &Database,
    ids: Vec<OrganizationId>,
) -> Result<HashMap<OrganizationId, Organization>, StorageError> {
    let ids: Vec<OrganizationId> = ids
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        for organization in db.organizations_by_ids(chunk).await? {
            found.insert(organization.id(), organization);
        }
    }
    Ok(found)
}

async fn people_named(
    db: &Database,
    ids: Vec<PersonId>,
) -> Result<HashMap<PersonId, Person>, StorageError> {
    let ids: Vec<PersonId> = ids
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        for person in db.people_by_ids(chunk).await? {
            found.insert(person.id(), person);
        }
    }
    Ok(found)
}

fn holding_kind(kind: HoldingKind) -> &'static str {
    match kind {
        HoldingKind::Elected => "Bầu",
        HoldingKind::Appointed => "Bổ nhiệm",
        HoldingKind::Acting => "Quyền, phụ trách",
        HoldingKind::Concurrent => "Kiêm nhiệm",
    }
}

/// The order of the holdings list: organization, post, start, person (each folded or keyed).
type HoldingOrder = (String, String, Option<NaiveDate>, String);

async fn holding_rows(db: &Database, options: CsvOptions) -> Result<Vec<Vec<String>>, ExportError> {
    let mut holdings = Vec::new();
    let mut after = None;
    loop {
        let page = db
            .holdings_in_period(options.from, options.to, after, EXPORT_PAGE_SIZE)
            .await?;
        after = page.last().map(|h| h.id());
        let done = (page.len() as u64) < EXPORT_PAGE_SIZE;
        holdings.extend(page);
        if done || after.is_none() {
            break;
        }
    }
    let post_ids: Vec<PostId> = holdings
        .iter()
        .map(|h| h.post)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut posts: HashMap<PostId, Post> = HashMap::new();
    for chunk in post_ids.chunks(500) {
        for post in db.posts_by_ids(chunk).await? {
            posts.insert(post.id(), post);
        }
    }
    let organization_ids: Vec<OrganizationId> = posts.values().map(|p| p.organization).collect();
    let organizations = organization_names(db, organization_ids).await?;
    let person_ids: Vec<PersonId> = holdings.iter().map(|h| h.person).collect();
    let people = people_named(db, person_ids).await?;
    let mut keyed: Vec<(HoldingOrder, Vec<String>)> = Vec::new();
    for holding in &holdings {
        let person = people.get(&holding.person);
        let post = posts.get(&holding.post);
        let organization = post.and_then(|p| organizations.get(&p.organization));
        let organization_name = organization.map_or_else(String::new, |o| {
            holding
                .period
                .earliest()
                .map_or(o.name.as_str(), |first| o.name_on(first).as_str())
                .to_owned()
        });
        let key = (
            organization.map(|o| o.name.fold()).unwrap_or_default(),
            post.map(|p| p.title.fold()).unwrap_or_default(),
            holding.period.earliest(),
            person.map(|p| p.name.sort_key()).unwrap_or_default(),
        );
        keyed.push((
            key,
            vec![
                person.map(|p| p.name.full().to_owned()).unwrap_or_default(),
                post.map(|p| p.title.to_string()).unwrap_or_default(),
                organization_name,
                date(holding.period.start()),
                date(holding.period.end()),
                holding_kind(holding.kind).to_owned(),
                holding.term.map(|t| t.to_string()).unwrap_or_default(),
            ],
        ));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(keyed.into_iter().map(|(_, row)| row).collect())
}

fn directive_kind(kind: DirectiveKind) -> &'static str {
    match kind {
        DirectiveKind::DirectingSpeech => "Phát biểu chỉ đạo",
        DirectiveKind::Conclusion => "Kết luận",
        DirectiveKind::DirectiveDocument => "Chỉ thị",
        DirectiveKind::ConclusionNotice => "Thông báo kết luận",
        DirectiveKind::Other => "Chỉ đạo",
    }
}

/// The Vietnamese term an office uses for a timeliness.
#[must_use]
pub const fn timeliness_vietnamese(timeliness: Timeliness) -> &'static str {
    match timeliness {
        Timeliness::NoDeadline => "không hạn",
        Timeliness::OnTime => "trong hạn",
        Timeliness::Overdue => "quá hạn",
        Timeliness::CompletedOnTime => "hoàn thành đúng hạn",
        Timeliness::CompletedLate => "hoàn thành quá hạn",
    }
}

fn assignee_name(
    assignee: &Assignee,
    organizations: &HashMap<OrganizationId, Organization>,
) -> String {
    match assignee {
        Assignee::Organization { id } => organizations
            .get(id)
            .map_or_else(|| id.to_string(), |o| o.name.to_string()),
        Assignee::Group { name } => name.to_string(),
    }
}

async fn task_rows(db: &Database, options: CsvOptions) -> Result<Vec<Vec<String>>, ExportError> {
    let mut tasks = Vec::new();
    let mut after = None;
    loop {
        let page = db
            .tasks_assigned_in(options.from, options.to, after, EXPORT_PAGE_SIZE)
            .await?;
        after = page.last().map(|t| t.id());
        let done = (page.len() as u64) < EXPORT_PAGE_SIZE;
        tasks.extend(page);
        if done || after.is_none() {
            break;
        }
    }
    let directive_ids: Vec<DirectiveId> = tasks
        .iter()
        .map(|t| t.directive)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut directives: HashMap<DirectiveId, Directive> = HashMap::new();
    for chunk in directive_ids.chunks(500) {
        for directive in db.directives_by_ids(chunk).await? {
            directives.insert(directive.id(), directive);
        }
    }
    let organization_ids: Vec<OrganizationId> = tasks
        .iter()
        .flat_map(|t| {
            t.lead
                .iter()
                .chain(&t.cooperating)
                .filter_map(Assignee::organization)
        })
        .collect();
    let organizations = organization_names(db, organization_ids).await?;
    tasks.sort_by(|a, b| {
        (a.assigned_on, a.directive, a.position).cmp(&(b.assigned_on, b.directive, b.position))
    });
    Ok(tasks
        .iter()
        .map(|task| {
            let directive = directives
                .get(&task.directive)
                .map_or_else(String::new, |d| {
                    let label = d
                        .document_number
                        .as_ref()
                        .map_or_else(|| directive_kind(d.kind).to_owned(), |n| n.raw().to_owned());
                    format!("{label} ({}): {}", d.issued_on, d.summary.as_str())
                });
            vec![
                task.text.as_str().to_owned(),
                directive,
                day(Some(task.assigned_on)),
                task.lead
                    .as_ref()
                    .map(|a| assignee_name(a, &organizations))
                    .unwrap_or_default(),
                task.cooperating
                    .iter()
                    .map(|a| assignee_name(a, &organizations))
                    .collect::<Vec<_>>()
                    .join("; "),
                day(task.deadline),
                task.lifecycle_on(options.as_of).vietnamese().to_owned(),
                task.timeliness(options.as_of)
                    .map(timeliness_vietnamese)
                    .unwrap_or_default()
                    .to_owned(),
                day(task.completed_on().filter(|on| *on <= options.as_of)),
            ]
        })
        .collect())
}

/// Whether a decision belongs to the period: signed within it, or, undated, filed under one of
/// its years (the storage read already kept only those).
fn in_period(decision: &AwardDecision, options: CsvOptions) -> bool {
    let Some(signed) = decision.signed_on else {
        return true;
    };
    options.from.is_none_or(|from| signed.last_day() >= from)
        && options.to.is_none_or(|to| signed.first_day() <= to)
}

async fn award_rows(db: &Database, options: CsvOptions) -> Result<Vec<Vec<String>>, ExportError> {
    let from_year = options.from.map(|d| chrono::Datelike::year(&d));
    let to_year = options.to.map(|d| chrono::Datelike::year(&d));
    let mut decisions = Vec::new();
    let mut after = None;
    loop {
        let page = db
            .award_decisions_in_years(from_year, to_year, after, EXPORT_PAGE_SIZE)
            .await?;
        after = page.last().map(|d| d.id());
        let done = (page.len() as u64) < EXPORT_PAGE_SIZE;
        decisions.extend(page.into_iter().filter(|d| in_period(d, options)));
        if done || after.is_none() {
            break;
        }
    }
    decisions.sort_by(|a, b| {
        (a.signed_on.map(|d| d.first_day()), a.id())
            .cmp(&(b.signed_on.map(|d| d.first_day()), b.id()))
    });
    let mut organization_ids: Vec<OrganizationId> = Vec::new();
    let mut person_ids: Vec<PersonId> = Vec::new();
    for decision in &decisions {
        organization_ids.push(decision.authority);
        for named in &decision.recipients {
            match named.recipient {
                RecipientRef::Organization(id) => organization_ids.push(id),
                RecipientRef::Person(id) => person_ids.push(id),
            }
        }
    }
    let organizations = organization_names(db, organization_ids).await?;
    let people = people_named(db, person_ids).await?;
    let mut rows = Vec::new();
    for decision in &decisions {
        let number = decision
            .number
            .as_ref()
            .map(|n| n.raw().to_owned())
            .unwrap_or_default();
        let authority = organizations
            .get(&decision.authority)
            .map_or_else(|| decision.authority.to_string(), |o| o.name.to_string());
        let achievement = &decision.achievement;
        let achievement_text = achievement.reason.as_ref().map_or_else(
            || {
                [
                    achievement.field.as_ref().map(ToString::to_string),
                    achievement.period.map(|p| p.to_string()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            },
            |reason| reason.as_str().to_owned(),
        );
        let status = match &decision.status {
            DecisionStatus::Issued => "Còn hiệu lực".to_owned(),
            DecisionStatus::Revoked { on, document, .. } => match document {
                Some(document) => format!("Đã hủy bỏ ngày {on} ({})", document.raw()),
                None => format!("Đã hủy bỏ ngày {on}"),
            },
        };
        let common = |recipient: String, kind: &str, count: String, reason: Option<String>| {
            vec![
                number.clone(),
                date(decision.signed_on),
                authority.clone(),
                decision.form.vietnamese_name(),
                recipient,
                kind.to_owned(),
                count,
                reason.unwrap_or_else(|| achievement_text.clone()),
                status.clone(),
            ]
        };
        for named in &decision.recipients {
            let name = match named.recipient {
                RecipientRef::Person(id) => people
                    .get(&id)
                    .map_or_else(|| id.to_string(), |p| p.name.full().to_owned()),
                RecipientRef::Organization(id) => organizations
                    .get(&id)
                    .map_or_else(|| id.to_string(), |o| o.name.to_string()),
            };
            rows.push(common(
                name,
                named.kind.vietnamese_name(),
                String::new(),
                named.reason.as_ref().map(|r| r.as_str().to_owned()),
            ));
        }
        for group in &decision.unnamed_recipients {
            let description = group.note.as_ref().map_or_else(
                || format!("(các {} không rõ tên)", group.kind.vietnamese_name()),
                ToString::to_string,
            );
            rows.push(common(
                description,
                group.kind.vietnamese_name(),
                group.count.map(|n| n.to_string()).unwrap_or_default(),
                None,
            ));
        }
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

fn error(status: StatusCode, code: Code, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }]
    });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// Checks that the caller holds an editor's (or an admin's) token; the refusal otherwise.
async fn require_editor(state: &AppState, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let deny = |status, code, message: &str| Box::new(error(status, code, message));
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(deny(
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
            "exports need an editor's token: send `Authorization: Bearer <token>`",
        ));
    };
    let Ok(text) = value.to_str() else {
        return Err(deny(
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
            &auth::TokenError::Malformed.to_string(),
        ));
    };
    match auth::verify(&state.db, text).await {
        Ok(principal) if principal.role >= Role::Editor => Ok(()),
        Ok(principal) => Err(deny(
            StatusCode::FORBIDDEN,
            Code::Forbidden,
            &format!(
                "exports need the editor role; the token {:?} has the {} role",
                principal.name,
                principal.role.code()
            ),
        )),
        Err(auth::TokenError::Storage(cause)) => {
            tracing::warn!(error = %cause, "token lookup failed");
            Err(deny(
                StatusCode::SERVICE_UNAVAILABLE,
                Code::Unavailable,
                "the database is unavailable; try again shortly",
            ))
        }
        Err(other) => Err(deny(
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
            &other.to_string(),
        )),
    }
}

fn parse_day(
    query: &HashMap<String, String>,
    key: &str,
) -> Result<Option<NaiveDate>, Box<Response>> {
    match query.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                Box::new(error(
                    StatusCode::BAD_REQUEST,
                    Code::BadUserInput,
                    &format!("`{key}` must be a date of the form YYYY-MM-DD; {text:?} was given"),
                ))
            }),
    }
}

fn attachment(content_type: &'static str, file_name: &str, body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /export/{file}`: `awards.csv`, `tasks.csv` or `holdings.csv` (with optional `from` and
/// `to`, `YYYY-MM-DD`), or `popolo.json`; for an editor's token only (401 without a valid token,
/// 403 for a reader's).
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = require_editor(&state, &headers).await {
        return *response;
    }
    if file == "popolo.json" {
        let mut body = Vec::new();
        return match crate::popolo::export(&state.db, &mut body).await {
            Ok(_) => attachment(
                "application/json; charset=utf-8",
                "gazette-popolo.json",
                body,
            ),
            Err(cause) => {
                tracing::error!(error = %cause, "the Popolo export failed");
                error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Code::Unavailable,
                    "the export could not be read from the database; try again shortly",
                )
            }
        };
    }
    let Some(kind) = file.strip_suffix(".csv").and_then(CsvKind::from_code) else {
        return error(
            StatusCode::NOT_FOUND,
            Code::NotFound,
            "no such export: use /export/awards.csv, /export/tasks.csv, /export/holdings.csv or /export/popolo.json",
        );
    };
    let (from, to) = match (parse_day(&query, "from"), parse_day(&query, "to")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(response), _) | (_, Err(response)) => return *response,
    };
    let options = match CsvOptions::new(from, to) {
        Ok(options) => options,
        Err(cause) => {
            return error(
                StatusCode::BAD_REQUEST,
                Code::BadUserInput,
                &cause.to_string(),
            );
        }
    };
    let mut body = Vec::new();
    match write_csv(&state.db, kind, options, &mut body).await {
        Ok(_) => {
            let name = match (from, to) {
                (None, None) => format!("{}.csv", kind.code()),
                _ => format!("{}_{}_{}.csv", kind.code(), day(from), day(to)),
            };
            attachment("text/csv; charset=utf-8", &name, body)
        }
        Err(cause) => {
            tracing::error!(error = %cause, "a CSV export failed");
            error(
                StatusCode::SERVICE_UNAVAILABLE,
                Code::Unavailable,
                "the export could not be read from the database; try again shortly",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(csv_field("Trần Việt Trường"), "Trần Việt Trường");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("- tiếp dân"), "- tiếp dân");
        assert_eq!(csv_field("-1"), "'-1");
    }
}
