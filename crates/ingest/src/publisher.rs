//! Publishers: the dateline markers ("(CT) -", "BHG -") and web addresses by which an article
//! names its paper, and the place each paper covers (which is how "thành phố" in a Báo Cần Thơ
//! report becomes thành phố Cần Thơ when the article itself never says so).
//!
//! The built-in table is a starting point; a JSON file adds to it or overrides it (the CLI's
//! `--publishers FILE`, [`crate::IngestOptions::with_publishers`]):
//!
//! ```json
//! { "publishers": [
//!   { "name": "Báo Cần Thơ", "markers": ["CT"], "domains": ["baocantho.com.vn"],
//!     "locality": { "unit": "thành phố", "name": "Cần Thơ" } }
//! ] }
//! ```

use gazette_domain::text::fold;
use serde::{Deserialize, Serialize};

/// The place a publisher covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locality {
    /// The kind of unit as the press writes it: "tỉnh", "thành phố", "huyện", "quận", "thị xã".
    pub unit: String,
    /// Its name ("Cần Thơ").
    pub name: String,
}

/// One publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    /// Its name as recorded ("Báo Cần Thơ").
    pub name: String,
    /// Dateline markers, without parentheses ("CT", "BHG", "BĐK.VN"); compared ignoring case and
    /// diacritics.
    #[serde(default)]
    pub markers: Vec<String>,
    /// Web addresses: a host ("baocantho.com.vn") or a host and path prefix
    /// ("quangninh.gov.vn/donvi/tpcampha"); the longest match wins.
    #[serde(default)]
    pub domains: Vec<String>,
    /// The place it covers, when it is a local paper.
    #[serde(default)]
    pub locality: Option<Locality>,
}

/// Why a publisher table could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the publisher table is not valid JSON of the documented shape: {0}")]
pub struct PublisherTableError(pub String);

/// Publishers, looked up by dateline marker, URL or name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PublisherTable {
    /// The entries; later entries win over earlier ones with the same marker or domain.
    pub publishers: Vec<Publisher>,
}

/// The accepted shapes of a configuration file: `{"publishers": [...]}` or a bare array.
#[derive(Deserialize)]
#[serde(untagged)]
enum TableFile {
    Object { publishers: Vec<Publisher> },
    List(Vec<Publisher>),
}

/// A built-in entry: name, markers, domains, locality unit and name.
type BuiltIn = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    Option<(&'static str, &'static str)>,
);

/// The built-in publishers. Markers and domains are the ones these papers print and serve from.
const BUILT_IN: [BuiltIn; 24] = [
    (
        "Báo Cần Thơ",
        &["CT"],
        &["baocantho.com.vn"],
        Some(("thành phố", "Cần Thơ")),
    ),
    (
        "Báo Hà Giang",
        &["BHG"],
        &["baohagiang.vn"],
        Some(("tỉnh", "Hà Giang")),
    ),
    (
        "Báo Đồng Khởi",
        &["BDK.VN", "BĐK"],
        &["baodongkhoi.vn"],
        Some(("tỉnh", "Bến Tre")),
    ),
    (
        "Báo Khánh Hòa",
        &[],
        &["baokhanhhoa.vn"],
        Some(("tỉnh", "Khánh Hòa")),
    ),
    (
        "Đài PT-TH Vĩnh Phúc",
        &[],
        &["vinhphuctv.vn"],
        Some(("tỉnh", "Vĩnh Phúc")),
    ),
    (
        "Báo Vĩnh Phúc",
        &[],
        &["baovinhphuc.com.vn"],
        Some(("tỉnh", "Vĩnh Phúc")),
    ),
    (
        "Cổng TTĐT tỉnh Quảng Ninh",
        &[],
        &["quangninh.gov.vn"],
        Some(("tỉnh", "Quảng Ninh")),
    ),
    (
        "Cổng TTĐT TP Cẩm Phả (Quảng Ninh)",
        &[],
        &["quangninh.gov.vn/donvi/tpcampha"],
        Some(("thành phố", "Cẩm Phả")),
    ),
    (
        "Báo Quảng Ninh",
        &[],
        &["baoquangninh.vn", "baoquangninh.com.vn"],
        Some(("tỉnh", "Quảng Ninh")),
    ),
    (
        "Báo Đà Nẵng",
        &[],
        &["baodanang.vn"],
        Some(("thành phố", "Đà Nẵng")),
    ),
    (
        "Báo Bắc Giang",
        &["BGĐT"],
        &["baobacgiang.vn", "baobacgiang.com.vn"],
        Some(("tỉnh", "Bắc Giang")),
    ),
    (
        "Báo Hà Nội Mới",
        &["HNM"],
        &["hanoimoi.vn", "hanoimoi.com.vn"],
        Some(("thành phố", "Hà Nội")),
    ),
    (
        "Báo Quảng Nam",
        &["QNO"],
        &["baoquangnam.vn"],
        Some(("tỉnh", "Quảng Nam")),
    ),
    (
        "Báo Gia Lai",
        &["GLO"],
        &["baogialai.com.vn"],
        Some(("tỉnh", "Gia Lai")),
    ),
    (
        "Báo Bình Thuận",
        &["BTO"],
        &["baobinhthuan.com.vn"],
        Some(("tỉnh", "Bình Thuận")),
    ),
    (
        "Báo Quảng Bình",
        &["QBĐT"],
        &["baoquangbinh.vn"],
        Some(("tỉnh", "Quảng Bình")),
    ),
    (
        "Báo Hòa Bình",
        &["HBĐT"],
        &["baohoabinh.com.vn"],
        Some(("tỉnh", "Hòa Bình")),
    ),
    (
        "Báo Đắk Lắk",
        &[],
        &["baodaklak.vn"],
        Some(("tỉnh", "Đắk Lắk")),
    ),
    (
        "Thông tấn xã Việt Nam",
        &["TTXVN"],
        &["vnanet.vn", "baotintuc.vn"],
        None,
    ),
    (
        "Báo điện tử Chính phủ",
        &["Chinhphu.vn"],
        &["baochinhphu.vn"],
        None,
    ),
    (
        "Báo điện tử Đảng Cộng sản Việt Nam",
        &["ĐCSVN"],
        &["dangcongsan.vn"],
        None,
    ),
    ("Báo Người Lao Động", &["NLĐO"], &["nld.com.vn"], None),
    ("Báo Nhân Dân", &[], &["nhandan.vn"], None),
    ("Báo Lao Động", &[], &["laodong.vn"], None),
];

impl PublisherTable {
    /// The built-in table (see `docs/ingest.md`).
    #[must_use]
    pub fn builtin() -> Self {
        Self {
            publishers: BUILT_IN
                .iter()
                .map(|(name, markers, domains, locality)| Publisher {
                    name: (*name).to_owned(),
                    markers: markers.iter().map(|m| (*m).to_owned()).collect(),
                    domains: domains.iter().map(|d| (*d).to_owned()).collect(),
                    locality: locality.map(|(unit, name)| Locality {
                        unit: unit.to_owned(),
                        name: name.to_owned(),
                    }),
                })
                .collect(),
        }
    }

    /// Reads a table from JSON: `{"publishers": [...]}` or a bare array of publishers.
    ///
    /// # Errors
    /// [`PublisherTableError`] when the JSON is malformed or has another shape.
    pub fn from_json(json: &str) -> Result<Self, PublisherTableError> {
        let file: TableFile =
            serde_json::from_str(json).map_err(|e| PublisherTableError(e.to_string()))?;
        let publishers = match file {
            TableFile::Object { publishers } | TableFile::List(publishers) => publishers,
        };
        Ok(Self { publishers })
    }

    /// This table with `other`'s entries added after it, so that they win.
    #[must_use]
    pub fn extended_with(mut self, other: Self) -> Self {
        self.publishers.extend(other.publishers);
        self
    }

    /// The publisher whose dateline marker this is (ignoring case and diacritics, and "(", ")").
    #[must_use]
    pub fn by_marker(&self, marker: &str) -> Option<&Publisher> {
        let key = fold(marker.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace()));
        if key.is_empty() {
            return None;
        }
        self.publishers
            .iter()
            .rev()
            .find(|p| p.markers.iter().any(|m| fold(m) == key))
    }

    /// The publisher serving this URL: the longest matching host-and-path prefix.
    #[must_use]
    pub fn by_url(&self, url: &str) -> Option<&Publisher> {
        let lower = url.trim().to_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        let rest = rest.strip_prefix("www.").unwrap_or(rest);
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let mut best: Option<(usize, &Publisher)> = None;
        for publisher in self.publishers.iter().rev() {
            for domain in &publisher.domains {
                let domain = domain.to_lowercase();
                let domain = domain.strip_prefix("www.").unwrap_or(&domain);
                let matches = rest == domain
                    || rest.starts_with(&format!("{domain}/"))
                    || (!domain.contains('/') && host.ends_with(&format!(".{domain}")));
                if matches && best.is_none_or(|(length, _)| domain.len() > length) {
                    best = Some((domain.len(), publisher));
                }
            }
        }
        best.map(|(_, publisher)| publisher)
    }

    /// The publisher with this name (ignoring case and diacritics).
    #[must_use]
    pub fn by_name(&self, name: &str) -> Option<&Publisher> {
        let key = fold(name);
        self.publishers.iter().rev().find(|p| fold(&p.name) == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_match_ignoring_case_diacritics_and_parentheses() {
        let table = PublisherTable::builtin();
        assert_eq!(
            table.by_marker("(CT)").map(|p| p.name.as_str()),
            Some("Báo Cần Thơ")
        );
        assert_eq!(
            table.by_marker("BĐK.VN").map(|p| p.name.as_str()),
            Some("Báo Đồng Khởi")
        );
        assert!(table.by_marker("XYZ").is_none());
        assert!(table.by_marker("()").is_none());
    }

    #[test]
    fn the_longest_url_prefix_wins() {
        let table = PublisherTable::builtin();
        let campha = "https://www.quangninh.gov.vn/donvi/tpcampha/Trang/ChiTietTinTuc.aspx?nid=1";
        assert_eq!(
            table.by_url(campha).map(|p| p.name.as_str()),
            Some("Cổng TTĐT TP Cẩm Phả (Quảng Ninh)")
        );
        assert_eq!(
            table
                .by_url("https://www.quangninh.gov.vn/Trang/x.aspx")
                .map(|p| p.name.as_str()),
            Some("Cổng TTĐT tỉnh Quảng Ninh")
        );
        assert!(table.by_url("https://example.com/").is_none());
    }

    #[test]
    fn a_configured_entry_overrides_a_built_in_one() {
        let extra =
            PublisherTable::from_json(r#"[{"name": "Báo Cần Thơ điện tử", "markers": ["CT"]}]"#)
                .unwrap();
        let table = PublisherTable::builtin().extended_with(extra);
        assert_eq!(
            table.by_marker("CT").map(|p| p.name.as_str()),
            Some("Báo Cần Thơ điện tử")
        );
        assert!(PublisherTable::from_json("{\"publishers\": 3}").is_err());
        assert!(
            PublisherTable::from_json(r#"{"publishers": [{"name": "X", "domains": ["x.vn"]}]}"#)
                .is_ok()
        );
    }
}
