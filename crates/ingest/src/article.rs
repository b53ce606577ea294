//! What every event recognizer reads: the tokens, the layout, the places, the mentions of
//! people in each sentence, and the dates that give a year to "Sáng 7-1".

use chrono::NaiveDate;
use gazette_domain::date::PartialDate;

use crate::builder::Builder;
use crate::dates::{DayMonth, numeric_date, resolve};
use crate::org::Context;
use crate::people::Mention;
use crate::source::Layout;
use crate::tokens::{Doc, Kind};

/// The analysed article.
pub(crate) struct Article<'a> {
    /// Its tokens.
    pub doc: &'a Doc,
    /// What each paragraph is.
    pub layout: &'a Layout,
    /// The places it names.
    pub context: &'a Context,
    /// The mentions of people, per sentence.
    pub mentions: Vec<Vec<Mention>>,
    /// Every date written with its year, by token, in order.
    full_dates: Vec<(usize, NaiveDate)>,
}

impl<'a> Article<'a> {
    /// Analyses an article whose mentions have been found.
    pub(crate) fn new(
        doc: &'a Doc,
        layout: &'a Layout,
        context: &'a Context,
        mentions: Vec<Vec<Mention>>,
    ) -> Self {
        let full_dates = doc
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == Kind::Number)
            .filter_map(|(i, _)| {
                let date = numeric_date(doc.tok(i))?;
                Some((
                    i,
                    NaiveDate::from_ymd_opt(date.year?, date.month, date.day)?,
                ))
            })
            .collect();
        Self {
            doc,
            layout,
            context,
            mentions,
            full_dates,
        }
    }

    /// The date a day-month at token `at` means: its own year, else the publication date's,
    /// else the year of the last full date written before it (with a warning).
    pub(crate) fn date(
        &self,
        date: DayMonth,
        at: usize,
        builder: &mut Builder<'_>,
    ) -> Option<PartialDate> {
        if date.year.is_some() {
            return resolve(date, None).map(PartialDate::from);
        }
        if let Some(published) = self.layout.published {
            return resolve(date, Some(published)).map(PartialDate::from);
        }
        let before = self.full_dates.partition_point(|(i, _)| *i < at);
        let span = self.doc.span_of(at..at + 1);
        match before.checked_sub(1).and_then(|i| self.full_dates.get(i)) {
            Some(&(token, reference)) => {
                let resolved = resolve(date, Some(reference)).map(PartialDate::from);
                if let Some(resolved) = resolved {
                    builder.warn(
                        "year_inferred",
                        format!(
                            "\"{}\" has no year and the article no date line: {resolved} takes the year of \"{}\" written before it",
                            self.doc.tok(at),
                            self.doc.tok(token)
                        ),
                        Some(span),
                    );
                }
                resolved
            }
            None => {
                builder.warn(
                    "no_year",
                    format!(
                        "\"{}\" has no year, and neither a date line nor an earlier date gives one; the date is left empty",
                        self.doc.tok(at)
                    ),
                    Some(span),
                );
                None
            }
        }
    }

    /// The mentions of a sentence.
    pub(crate) fn mentions_of(&self, sent: usize) -> &[Mention] {
        self.mentions.get(sent).map_or(&[], Vec::as_slice)
    }
}
