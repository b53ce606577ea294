//! People: officials and anyone else a record names.

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::entity::aggregate;
use crate::identifier::check_identifiers;
pub use crate::identifier::{Identifier, IdentifierError, OtherName};
use crate::ids::PersonId;
use crate::name::PersonName;

/// Why a person, an identifier or another name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    /// The death date lies wholly before the birth date.
    #[error("death date {death} is before birth date {birth}")]
    DeathBeforeBirth {
        /// The birth date given.
        birth: PartialDate,
        /// The death date given.
        death: PartialDate,
    },
    /// An identifier is malformed or listed twice.
    #[error(transparent)]
    Identifier(#[from] IdentifierError),
}

/// A person's gender as the sources record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Female (nữ).
    Female,
    /// Male (nam).
    Male,
    /// Recorded otherwise.
    Other,
}

impl Gender {
    /// The stable code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
        }
    }

    /// The gender with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Female, Self::Male, Self::Other]
            .into_iter()
            .find(|g| g.code() == code)
    }
}

/// What Gazette records about a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    /// The person's name.
    pub name: PersonName,
    /// Other names, with when they were used.
    #[serde(default)]
    pub other_names: Vec<OtherName>,
    /// Gender, when a source gives it.
    pub gender: Option<Gender>,
    /// Date of birth, as precisely as known.
    pub birth_date: Option<PartialDate>,
    /// Date of death, as precisely as known.
    pub death_date: Option<PartialDate>,
    /// Identifiers in other systems.
    #[serde(default)]
    pub identifiers: Vec<Identifier>,
}

impl PersonDetails {
    /// Details with only a name.
    #[must_use]
    pub fn named(name: PersonName) -> Self {
        Self {
            name,
            other_names: Vec::new(),
            gender: None,
            birth_date: None,
            death_date: None,
            identifiers: Vec::new(),
        }
    }

    fn validate(&self, _id: PersonId) -> Result<(), PersonError> {
        if let (Some(birth), Some(death)) = (self.birth_date, self.death_date)
            && death.last_day() < birth.first_day()
        {
            return Err(PersonError::DeathBeforeBirth { birth, death });
        }
        check_identifiers(&self.identifiers)?;
        Ok(())
    }
}

aggregate!(
    /// A person.
    Person,
    PersonId,
    PersonDetails,
    PersonError
);

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> PersonName {
        PersonName::parse(text).unwrap()
    }

    #[test]
    fn a_person_cannot_die_before_being_born() {
        let mut details = PersonDetails::named(name("Phạm Văn Hiểu"));
        details.birth_date = Some(PartialDate::parse("1960").unwrap());
        details.death_date = Some(PartialDate::parse("1959-12").unwrap());
        let error = Person::new(PersonId::new(), details).unwrap_err();
        assert_eq!(
            error.to_string(),
            "death date 1959-12 is before birth date 1960"
        );
    }

    #[test]
    fn an_identifier_cannot_be_listed_twice() {
        let mut details = PersonDetails::named(name("Trần Việt Trường"));
        let wikidata = Identifier::new("wikidata", "Q1").unwrap();
        details.identifiers = vec![wikidata.clone(), wikidata];
        assert!(matches!(
            Person::new(PersonId::new(), details),
            Err(PersonError::Identifier(IdentifierError::Duplicate { .. }))
        ));
    }

    #[test]
    fn identifier_schemes_are_plain_lowercase_codes() {
        assert!(Identifier::new("wikidata", "Q42").is_ok());
        assert!(Identifier::new("everypolitician:vn", "abc").is_ok());
        assert!(Identifier::new("Wiki Data", "Q42").is_err());
        assert!(Identifier::new("", "Q42").is_err());
        assert!(Identifier::new("wikidata", "  ").is_err());
    }

    #[test]
    fn an_update_that_breaks_a_rule_changes_nothing() {
        let mut person =
            Person::new(PersonId::new(), PersonDetails::named(name("Lê Quang Mạnh"))).unwrap();
        let before = person.clone();
        let mut details = person.details().clone();
        details.birth_date = Some(PartialDate::parse("1970").unwrap());
        details.death_date = Some(PartialDate::parse("1960").unwrap());
        assert!(person.update(details).is_err());
        assert_eq!(person, before);
    }

    #[test]
    fn a_person_round_trips_through_json_and_is_checked_on_the_way_in() {
        let mut details = PersonDetails::named(name("Trần Thị Vĩnh Nghi"));
        details.gender = Some(Gender::Female);
        details.identifiers = vec![Identifier::new("wikidata", "Q1").unwrap()];
        let person = Person::new(PersonId::new(), details).unwrap();
        let json = serde_json::to_value(&person).unwrap();
        assert_eq!(json["gender"], "female");
        assert_eq!(json["id"], person.id().to_string());
        let back: Person = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, person);
        let mut broken = json;
        broken["birth_date"] = "1970".into();
        broken["death_date"] = "1960".into();
        assert!(serde_json::from_value::<Person>(broken).is_err());
    }
}
