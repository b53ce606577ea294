//! Organizations: Party committees and boards, People's Councils and Committees, departments, the
//! Fatherland Front and mass organizations, and the administrative units they belong to.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date::{PartialDate, Period};
use crate::entity::aggregate;
use crate::identifier::{Identifier, IdentifierError, OtherName, check_identifiers};
use crate::ids::OrganizationId;
use crate::text::Text;

/// What kind of body an organization is, following the structure of Vietnamese public life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// A Party committee (Ban Chấp hành): Thành ủy, Tỉnh ủy, Huyện ủy, Đảng ủy.
    PartyCommittee,
    /// A Party committee's standing board (Ban Thường vụ).
    StandingBoard,
    /// An advisory board of a Party committee: Ban Tổ chức, Ban Tuyên giáo, Ban Dân vận, Ủy ban
    /// Kiểm tra, Ban Nội chính, Văn phòng.
    PartyBoard,
    /// A People's Council (Hội đồng nhân dân, HĐND).
    PeoplesCouncil,
    /// A People's Committee (Ủy ban nhân dân, UBND).
    PeoplesCommittee,
    /// A department or agency of the state (Sở, Văn phòng UBND, ...).
    Department,
    /// A Fatherland Front committee (Ủy ban Mặt trận Tổ quốc, MTTQ).
    FatherlandFront,
    /// A socio-political or mass organization (Liên đoàn Lao động, Hội Nông dân, Hội Liên hiệp Phụ
    /// nữ, Đoàn Thanh niên, Hội Cựu chiến binh), or a group of them.
    MassOrganization,
    /// A council or steering committee (Hội đồng Thi đua - Khen thưởng, Ban Chỉ đạo).
    Council,
    /// An administrative unit (a province, city, district, commune or ward) as a territory.
    AdministrativeUnit,
    /// The President of the State (Chủ tịch nước) and the Office of the President.
    Presidency,
    /// The Government and the Prime Minister (Chính phủ, Thủ tướng).
    Government,
    /// A ministry, ministry-level agency or central body (bộ, ngành, cơ quan trung ương).
    Ministry,
    /// A state enterprise or public service unit.
    Enterprise,
    /// Anything else.
    Other,
}

impl Classification {
    /// Every classification, in declaration order.
    pub const ALL: [Self; 15] = [
        Self::PartyCommittee,
        Self::StandingBoard,
        Self::PartyBoard,
        Self::PeoplesCouncil,
        Self::PeoplesCommittee,
        Self::Department,
        Self::FatherlandFront,
        Self::MassOrganization,
        Self::Council,
        Self::AdministrativeUnit,
        Self::Presidency,
        Self::Government,
        Self::Ministry,
        Self::Enterprise,
        Self::Other,
    ];

    /// The stable snake_case code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::PartyCommittee => "party_committee",
            Self::StandingBoard => "standing_board",
            Self::PartyBoard => "party_board",
            Self::PeoplesCouncil => "peoples_council",
            Self::PeoplesCommittee => "peoples_committee",
            Self::Department => "department",
            Self::FatherlandFront => "fatherland_front",
            Self::MassOrganization => "mass_organization",
            Self::Council => "council",
            Self::AdministrativeUnit => "administrative_unit",
            Self::Presidency => "presidency",
            Self::Government => "government",
            Self::Ministry => "ministry",
            Self::Enterprise => "enterprise",
            Self::Other => "other",
        }
    }

    /// The classification with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The tier of government an organization belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Central (trung ương): the Party Central Committee, the Government, ministries.
    National,
    /// Province or centrally-run city (tỉnh, thành phố trực thuộc trung ương).
    Province,
    /// District, town or provincial city (huyện, quận, thị xã, thành phố thuộc tỉnh); abolished
    /// in the 2025 two-tier reform, kept for the records before it.
    District,
    /// Commune, ward or township (xã, phường, thị trấn).
    Commune,
}

impl Level {
    /// Every level, from the top.
    pub const ALL: [Self; 4] = [
        Self::National,
        Self::Province,
        Self::District,
        Self::Commune,
    ];

    /// The stable snake_case code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
        }
    }

    /// The level with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// How an organization came from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuccessionKind {
    /// Several organizations merged into this one (2025: Ban Tuyên giáo and Ban Dân vận into Ban
    /// Tuyên giáo và Dân vận).
    Merger,
    /// This organization was split off from another.
    Split,
    /// This organization replaced another under a reorganization.
    Reorganization,
}

/// A predecessor of an organization: where it came from, how and when. Successors are the
/// reverse of these links.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Succession {
    /// The predecessor.
    pub predecessor: OrganizationId,
    /// How this organization came from it.
    pub kind: SuccessionKind,
    /// When.
    pub date: Option<PartialDate>,
}

/// Why an organization was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganizationError {
    /// The organization names itself as its parent.
    #[error("organization {organization} cannot be its own parent")]
    OwnParent {
        /// The organization.
        organization: OrganizationId,
    },
    /// The parent would make the tree a cycle.
    #[error("making {parent} the parent of {organization} would create a cycle in the tree")]
    ParentCycle {
        /// The organization.
        organization: OrganizationId,
        /// The parent asked for.
        parent: OrganizationId,
    },
    /// The organization names itself as its predecessor, or one predecessor twice.
    #[error("predecessor {predecessor} is listed twice or is the organization itself")]
    BadPredecessor {
        /// The predecessor given.
        predecessor: OrganizationId,
    },
    /// An identifier is listed twice or malformed.
    #[error(transparent)]
    Identifier(#[from] IdentifierError),
}

/// What Gazette records about an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationDetails {
    /// The current (or last) name: "Ban Thường vụ Thành ủy Cần Thơ".
    pub name: Text,
    /// The usual abbreviation: "UBND thành phố Cần Thơ", "MTTQ".
    pub abbreviation: Option<Text>,
    /// What kind of body it is.
    pub classification: Classification,
    /// Its tier of government, when it has one.
    pub level: Option<Level>,
    /// The organization it belongs to (the Party committee of a board, the city of a department).
    pub parent: Option<OrganizationId>,
    /// From founding to dissolution.
    pub life: Period,
    /// Former names (renames) and other names, with when they were in use.
    #[serde(default)]
    pub other_names: Vec<OtherName>,
    /// The organizations it came from through mergers, splits and reorganizations.
    #[serde(default)]
    pub predecessors: Vec<Succession>,
    /// Identifiers in other systems.
    #[serde(default)]
    pub identifiers: Vec<Identifier>,
}

impl OrganizationDetails {
    /// Details with only a name and a classification.
    #[must_use]
    pub fn new(name: Text, classification: Classification) -> Self {
        Self {
            name,
            abbreviation: None,
            classification,
            level: None,
            parent: None,
            life: Period::always(),
            other_names: Vec::new(),
            predecessors: Vec::new(),
            identifiers: Vec::new(),
        }
    }

    fn validate(&self, id: OrganizationId) -> Result<(), OrganizationError> {
        if self.parent == Some(id) {
            return Err(OrganizationError::OwnParent { organization: id });
        }
        let mut seen = HashSet::new();
        for succession in &self.predecessors {
            if succession.predecessor == id || !seen.insert(succession.predecessor) {
                return Err(OrganizationError::BadPredecessor {
                    predecessor: succession.predecessor,
                });
            }
        }
        check_identifiers(&self.identifiers)?;
        Ok(())
    }

    /// The name the organization bore on `day`: the other name whose period covers that day
    /// (a former name), else the current name.
    #[must_use]
    pub fn name_on(&self, day: NaiveDate) -> &Text {
        self.other_names
            .iter()
            .find(|other| other.period != Period::always() && other.period.is_active_on(day))
            .map_or(&self.name, |other| &other.name)
    }
}

aggregate!(
    /// An organization.
    Organization,
    OrganizationId,
    OrganizationDetails,
    OrganizationError
);

impl Organization {
    /// Checks that giving `organization` the parent in its details keeps the tree a tree:
    /// `parent_of` looks up the current parent of any other organization. Runs in the length of
    /// the parent chain and stops on a cycle already present.
    pub fn check_tree(
        &self,
        parent_of: impl Fn(OrganizationId) -> Option<OrganizationId>,
    ) -> Result<(), OrganizationError> {
        let Some(parent) = self.parent else {
            return Ok(());
        };
        let mut cursor = Some(parent);
        let mut visited = HashSet::new();
        while let Some(current) = cursor {
            if current == self.id() {
                return Err(OrganizationError::ParentCycle {
                    organization: self.id(),
                    parent,
                });
            }
            if !visited.insert(current) {
                break;
            }
            cursor = parent_of(current);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn organization(name: &str, classification: Classification) -> Organization {
        Organization::new(
            OrganizationId::new(),
            OrganizationDetails::new(Text::parse(name).unwrap(), classification),
        )
        .unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for classification in Classification::ALL {
            assert_eq!(
                Classification::from_code(classification.code()),
                Some(classification)
            );
        }
        for level in Level::ALL {
            assert_eq!(Level::from_code(level.code()), Some(level));
        }
    }

    #[test]
    fn a_parent_that_would_close_a_cycle_is_rejected() {
        let city = organization("Thành ủy Cần Thơ", Classification::PartyCommittee);
        let mut board = organization("Ban Dân vận Thành ủy", Classification::PartyBoard);
        let mut details = board.details().clone();
        details.parent = Some(city.id());
        board.update(details).unwrap();
        let parents: HashMap<_, _> = [(board.id(), city.id())].into();
        assert!(board.check_tree(|id| parents.get(&id).copied()).is_ok());

        // Now try to make the city a child of its own board.
        let mut city_details = city.details().clone();
        city_details.parent = Some(board.id());
        let moved = Organization::new(city.id(), city_details).unwrap();
        let error = moved
            .check_tree(|id| parents.get(&id).copied())
            .unwrap_err();
        assert!(matches!(error, OrganizationError::ParentCycle { .. }));
    }

    #[test]
    fn an_organization_cannot_be_its_own_parent() {
        let board = organization("Ban Dân vận Thành ủy", Classification::PartyBoard);
        let mut details = board.details().clone();
        details.parent = Some(board.id());
        assert!(matches!(
            Organization::new(board.id(), details),
            Err(OrganizationError::OwnParent { .. })
        ));
    }

    #[test]
    fn a_renamed_organization_answers_with_the_name_it_bore_on_the_day() {
        let mut details = OrganizationDetails::new(
            Text::parse("Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Giang").unwrap(),
            Classification::PartyBoard,
        );
        details.other_names.push(OtherName {
            name: Text::parse("Ban Dân vận Tỉnh ủy Bắc Giang").unwrap(),
            note: Some(Text::parse("former name").unwrap()),
            period: Period::new(None, Some(PartialDate::parse("2025-02-11").unwrap())).unwrap(),
        });
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            details.name_on(day("2021-01-15")).as_str(),
            "Ban Dân vận Tỉnh ủy Bắc Giang"
        );
        assert_eq!(
            details.name_on(day("2025-03-01")).as_str(),
            "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Giang"
        );
    }
}
