//! The `gazette` gateway: Gazette's GraphQL API over HTTP, its playground and its command line.
//! The binary (`main.rs`) is a thin shell over this library, so tests can build the router
//! without binding a port.

pub mod auth;
pub mod bench_data;
pub mod cli;
pub mod demo;
pub mod events;
pub mod export;
pub mod ingest;
pub mod metrics;
pub mod playground;
pub mod popolo;
pub mod schema;
pub mod server;
pub mod subscriptions;
