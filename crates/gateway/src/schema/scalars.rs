//! Custom scalars: dates as precise as the sources give them.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

/// A scalar parse error carrying the BAD_USER_INPUT code, which survives nesting in input
/// objects.
fn invalid<T: async_graphql::InputType>(message: impl std::fmt::Display) -> InputValueError<T> {
    InputValueError::custom(message).with_extension("code", "BAD_USER_INPUT")
}
use chrono::NaiveDate;
use gazette_domain::date::{PartialDate, PartialDateTime};

/// A date known to the year, month or day: "2021", "2021-01", "2021-01-15".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDateScalar(pub PartialDate);

/// A calendar date: "2021-01-15".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateScalar(pub NaiveDate);

/// A partial date with an optional local time: "2021-01-16T05:59:00", "2020-08".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDateTimeScalar(pub PartialDateTime);

fn string_of(value: &Value) -> Result<&str, String> {
    match value {
        Value::String(text) => Ok(text),
        _ => Err("expected a string".to_owned()),
    }
}

/// A date known to the year, month or day: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[Scalar(name = "PartialDate")]
impl ScalarType for PartialDateScalar {
    fn parse(value: Value) -> InputValueResult<Self> {
        let text = string_of(&value).map_err(invalid)?;
        PartialDate::parse(text).map(Self).map_err(invalid)
    }

    // Checked at validation too, so that a bad variable refuses the whole request (400) before
    // any field runs, as GraphQL over HTTP asks.
    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[Scalar(name = "Date")]
impl ScalarType for DateScalar {
    fn parse(value: Value) -> InputValueResult<Self> {
        let text = string_of(&value).map_err(invalid)?;
        // Parsed through PartialDate so the year range and error wording match every other date.
        let partial = PartialDate::parse(text).map_err(invalid)?;
        partial
            .as_date()
            .map(Self)
            .ok_or_else(|| invalid(format!("{text:?} is not a full date YYYY-MM-DD")))
    }

    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// A partial date with an optional local time of day: `YYYY[-MM[-DD]][THH:MM[:SS]]`.
#[Scalar(name = "PartialDateTime")]
impl ScalarType for PartialDateTimeScalar {
    fn parse(value: Value) -> InputValueResult<Self> {
        let text = string_of(&value).map_err(invalid)?;
        PartialDateTime::parse(text).map(Self).map_err(invalid)
    }

    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}
