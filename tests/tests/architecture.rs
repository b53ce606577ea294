//! Gazette's architecture invariants, checked against the dependency graph Cargo resolves.
//!
//! The tests run `cargo metadata --format-version 1` on the workspace and walk
//! `resolve.nodes`, so a forbidden crate is caught however it arrives: named directly in a
//! `Cargo.toml`, pulled in transitively, or enabled through a feature. Grepping manifests
//! would miss all but the first.
//!
//! Cargo resolves features for the whole workspace at once, so the graph over-approximates
//! what any single crate builds with: a feature another member turns on for a shared
//! dependency shows up in every member's closure. If a test fails over such an edge, the
//! printed path names it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

const DOMAIN: &str = "gazette-domain";
const STORAGE: &str = "gazette-storage";
const GATEWAY: &str = "gazette-gateway";
const MIGRATIONS: &str = "gazette-migrations";
const INGEST: &str = "gazette-ingest";

/// Crates that do I/O or bring an async runtime, a database, or an HTTP/GraphQL server.
/// None of them may reach the domain crate, even transitively.
const IO_CRATES: &[&str] = &[
    "tokio",
    "sea-orm",
    "sea-query",
    "sqlx",
    "sqlx-core",
    "axum",
    "hyper",
    "async-graphql",
    "async-graphql-axum",
    "mio",
    "reqwest",
    "tower",
];

/// Which edges of the graph a check follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edges {
    /// Normal dependencies only: what ends up linked into the crate itself.
    Normal,
    /// Normal and build dependencies; dev-dependencies (tests, examples, benches) are left out.
    NonDev,
    /// Every edge, dev-dependencies included.
    All,
}

/// One dependency edge from a resolve node.
#[derive(Clone, Debug)]
struct Dep {
    /// Package id of the dependency.
    pkg: String,
    /// `dep_kinds[].kind`: `None` for a normal dependency, `Some("dev")`, `Some("build")`.
    kinds: Vec<Option<String>>,
}

impl Dep {
    fn followed_by(&self, edges: Edges) -> bool {
        match edges {
            Edges::All => true,
            Edges::Normal => self.kinds.iter().any(Option::is_none),
            Edges::NonDev => self.kinds.iter().any(|k| k.as_deref() != Some("dev")),
        }
    }
}

/// The resolved dependency graph of the workspace.
#[derive(Debug)]
struct Graph {
    /// Package id to package name.
    names: BTreeMap<String, String>,
    /// Package id to its dependency edges.
    deps: BTreeMap<String, Vec<Dep>>,
    /// Package ids of the workspace members.
    members: BTreeSet<String>,
}

impl Graph {
    /// Builds the graph from the JSON `cargo metadata --format-version 1` prints.
    fn from_metadata(metadata: &Value) -> Graph {
        let names = metadata["packages"]
            .as_array()
            .expect("metadata has a `packages` array")
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().expect("package has an id").to_owned(),
                    p["name"].as_str().expect("package has a name").to_owned(),
                )
            })
            .collect();
        let members = metadata["workspace_members"]
            .as_array()
            .expect("metadata has `workspace_members`")
            .iter()
            .map(|id| id.as_str().expect("member id is a string").to_owned())
            .collect();
        let deps = metadata["resolve"]["nodes"]
            .as_array()
            .expect("metadata has `resolve.nodes` (was it run with --no-deps?)")
            .iter()
            .map(|node| {
                let id = node["id"].as_str().expect("node has an id").to_owned();
                let deps = node["deps"]
                    .as_array()
                    .expect("node has `deps`")
                    .iter()
                    .map(|d| Dep {
                        pkg: d["pkg"].as_str().expect("dep has a pkg").to_owned(),
                        kinds: d["dep_kinds"]
                            .as_array()
                            .expect("dep has `dep_kinds`")
                            .iter()
                            .map(|k| k["kind"].as_str().map(str::to_owned))
                            .collect(),
                    })
                    .collect();
                (id, deps)
            })
            .collect();
        Graph {
            names,
            deps,
            members,
        }
    }

    fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }

    /// The package id of the workspace member called `name`; panics when there is none, so a
    /// renamed crate fails the tests rather than passing them vacuously.
    fn member(&self, name: &str) -> &str {
        self.members
            .iter()
            .find(|id| self.name(id) == name)
            .unwrap_or_else(|| {
                panic!(
                    "workspace member `{name}` not found; members are: {:?}",
                    self.member_names()
                )
            })
    }

    fn member_names(&self) -> Vec<&str> {
        self.members.iter().map(|id| self.name(id)).collect()
    }

    fn is_member(&self, id: &str) -> bool {
        self.members.contains(id)
    }

    /// The direct dependencies of `id` along the chosen edges.
    fn direct(&self, id: &str, edges: Edges) -> Vec<&str> {
        self.deps
            .get(id)
            .map(|deps| {
                deps.iter()
                    .filter(|d| d.followed_by(edges))
                    .map(|d| d.pkg.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every package reachable from `root` along the chosen edges (the root excluded), each
    /// with the shortest path of package names that leads to it from the root.
    fn closure(&self, root: &str, edges: Edges) -> BTreeMap<String, Vec<String>> {
        let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut queue = VecDeque::from([(root.to_owned(), vec![self.name(root).to_owned()])]);
        let mut seen = BTreeSet::from([root.to_owned()]);
        while let Some((id, path)) = queue.pop_front() {
            for dep in self.direct(&id, edges) {
                if seen.insert(dep.to_owned()) {
                    let mut dep_path = path.clone();
                    dep_path.push(self.name(dep).to_owned());
                    paths.insert(dep.to_owned(), dep_path.clone());
                    queue.push_back((dep.to_owned(), dep_path));
                }
            }
        }
        paths
    }

    /// The paths, one per forbidden crate, by which `root` reaches a crate named in
    /// `forbidden` along normal dependencies.
    fn forbidden_paths(&self, root: &str, forbidden: &[&str]) -> Vec<String> {
        self.closure(root, Edges::Normal)
            .into_iter()
            .filter(|(id, _)| forbidden.contains(&self.name(id)))
            .map(|(_, path)| path.join(" -> "))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The names of the workspace members `id` depends on directly along the chosen edges.
    fn member_deps(&self, id: &str, edges: Edges) -> Vec<&str> {
        self.direct(id, edges)
            .into_iter()
            .filter(|dep| self.is_member(dep))
            .map(|dep| self.name(dep))
            .collect()
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace")
        .to_path_buf()
}

/// The workspace's resolved dependency graph, computed once per test binary.
fn graph() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let root = workspace_root();
        let output = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1"])
            .current_dir(&root)
            .output()
            .expect("`cargo metadata` runs");
        assert!(
            output.status.success(),
            "`cargo metadata` in {} failed ({}):\n{}",
            root.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: Value =
            serde_json::from_slice(&output.stdout).expect("`cargo metadata` prints JSON");
        Graph::from_metadata(&metadata)
    })
}

fn assert_no_forbidden_paths(graph: &Graph, root_name: &str, forbidden: &[&str]) {
    let root = graph.member(root_name);
    let paths = graph.forbidden_paths(root, forbidden);
    assert!(
        paths.is_empty(),
        "`{root_name}` must not depend, even transitively, on any of {forbidden:?}, but it does:\n  {}",
        paths.join("\n  ")
    );
}

#[test]
fn domain_crate_depends_on_no_io_crate() {
    assert_no_forbidden_paths(graph(), DOMAIN, IO_CRATES);
}

#[test]
fn ingest_crate_depends_on_no_io_crate_and_no_layer_above_the_domain() {
    let graph = graph();
    assert_no_forbidden_paths(graph, INGEST, IO_CRATES);
    let deps = graph.member_deps(graph.member(INGEST), Edges::All);
    assert!(
        deps.iter().all(|dep| *dep == DOMAIN),
        "`{INGEST}` reads text into drafts and may use only `{DOMAIN}` of the workspace, \
         but it depends on {deps:?}"
    );
}

#[test]
fn domain_crate_depends_on_no_other_workspace_crate() {
    let graph = graph();
    let deps = graph.member_deps(graph.member(DOMAIN), Edges::All);
    assert!(
        deps.is_empty(),
        "`{DOMAIN}` is the innermost layer and must depend on no other workspace crate, \
         but it depends on {deps:?}"
    );
}

#[test]
fn migrations_depend_on_no_workspace_crate() {
    let graph = graph();
    let deps = graph.member_deps(graph.member(MIGRATIONS), Edges::All);
    assert!(
        deps.is_empty(),
        "`{MIGRATIONS}` must know nothing of the domain, storage or gateway (a migration that \
         has landed must not change when those crates do), but it depends on {deps:?}"
    );
}

#[test]
fn storage_does_not_depend_on_the_gateway() {
    let graph = graph();
    let storage = graph.member(STORAGE);
    let gateway = graph.member(GATEWAY);
    let path = graph.closure(storage, Edges::All).remove(gateway);
    assert!(
        path.is_none(),
        "`{STORAGE}` must not depend on `{GATEWAY}`, but it does: {}",
        path.unwrap_or_default().join(" -> ")
    );
}

#[test]
fn only_the_gateway_depends_on_async_graphql() {
    let graph = graph();
    let offenders: Vec<String> = graph
        .members
        .iter()
        .filter(|id| graph.name(id) != GATEWAY)
        .flat_map(|id| {
            graph
                .direct(id, Edges::NonDev)
                .into_iter()
                .filter(|dep| graph.name(dep).starts_with("async-graphql"))
                .map(move |dep| format!("{} -> {}", graph.name(id), graph.name(dep)))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "only `{GATEWAY}` may depend on async-graphql (GraphQL types stay in the gateway), \
         but:\n  {}",
        offenders.join("\n  ")
    );
}

/// Guards the guards: if the walk were broken (say `cargo metadata` changed its output), the
/// checks above would pass on an empty graph. Storage persists through sea-orm, so its
/// closure must reach it.
#[test]
fn dependency_walk_finds_sea_orm_under_storage() {
    let graph = graph();
    let storage = graph.member(STORAGE);
    assert!(
        !graph.forbidden_paths(storage, &["sea-orm"]).is_empty(),
        "the walk from `{STORAGE}` did not reach sea-orm; the architecture checks can't be trusted"
    );
    for name in [DOMAIN, STORAGE, GATEWAY, MIGRATIONS] {
        graph.member(name);
    }
}

/// A small `cargo metadata` document: `gazette-domain` reaches tokio through `helper`
/// (normal edge), and reaches `sqlx` only through a dev- and a build-dependency.
fn synthetic_metadata() -> Value {
    let id = |name: &str| format!("registry#{name}@1.0.0");
    let node = |name: &str, deps: &[(&str, Option<&str>)]| {
        serde_json::json!({
            "id": id(name),
            "deps": deps.iter().map(|(dep, kind)| serde_json::json!({
                "name": dep.replace('-', "_"),
                "pkg": id(dep),
                "dep_kinds": [{ "kind": kind, "target": null }],
            })).collect::<Vec<_>>(),
        })
    };
    let names = [
        "gazette-domain",
        "gazette-migrations",
        "helper",
        "tokio",
        "sqlx",
        "cc",
    ];
    serde_json::json!({
        "packages": names.iter().map(|n| serde_json::json!({ "id": id(n), "name": n })).collect::<Vec<_>>(),
        "workspace_members": [id("gazette-domain"), id("gazette-migrations")],
        "resolve": { "nodes": [
            node("gazette-domain", &[("helper", None), ("sqlx", Some("dev")), ("cc", Some("build"))]),
            node("gazette-migrations", &[("gazette-domain", Some("dev"))]),
            node("helper", &[("tokio", None)]),
            node("cc", &[("sqlx", None)]),
            node("tokio", &[]),
            node("sqlx", &[]),
        ]},
    })
}

#[test]
fn forbidden_transitive_dependency_is_reported_with_its_path() {
    let graph = Graph::from_metadata(&synthetic_metadata());
    let paths = graph.forbidden_paths(graph.member(DOMAIN), IO_CRATES);
    assert_eq!(paths, vec!["gazette-domain -> helper -> tokio".to_owned()]);
}

#[test]
fn dev_and_build_dependencies_do_not_count_towards_the_closure() {
    let graph = Graph::from_metadata(&synthetic_metadata());
    let paths = graph.forbidden_paths(graph.member(DOMAIN), &["sqlx"]);
    assert!(paths.is_empty(), "{paths:?}");
}

#[test]
fn dev_dependency_on_a_workspace_crate_counts_as_a_layering_violation() {
    let graph = Graph::from_metadata(&synthetic_metadata());
    let deps = graph.member_deps(graph.member(MIGRATIONS), Edges::All);
    assert_eq!(deps, vec![DOMAIN]);
}
