//! `gazette`: Gazette's command line and GraphQL server.

fn main() {
    eprintln!(
        "gazette {}: the GraphQL gateway is not built yet; see README.md for what exists.",
        env!("CARGO_PKG_VERSION")
    );
    std::process::exit(2);
}
