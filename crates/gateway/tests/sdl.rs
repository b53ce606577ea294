//! The committed SDL (`docs/schema.graphql`) is the schema the code builds: frontends read the
//! file, so it must never drift.

#[test]
fn the_committed_sdl_is_the_built_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let built = gazette_gateway::schema::sdl();
    assert!(
        committed == built,
        "docs/schema.graphql differs from the built schema; regenerate it with\n  cargo run -p gazette-gateway -- schema > docs/schema.graphql\nand review the diff"
    );
}
