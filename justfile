# Gazette's tasks. `just` lists them; `just <recipe>` runs one.
# CI runs `.ci/run`, which installs the tools and then runs `just ci`.

set shell := ["bash", "-euo", "pipefail", "-c"]
set positional-arguments

# The PostgreSQL the storage tests run against (besides SQLite) when
# GAZETTE_TEST_DATABASE_URL is not set.
local_test_database_url := "postgres://postgres@127.0.0.1:5432/postgres"

# List the recipes.
default:
    @{{ just_executable() }} --list --justfile {{ justfile() }}

# Run the whole workspace's tests (unit, integration, doc tests); storage tests run on SQLite and on PostgreSQL. Extra arguments go to `cargo test`.
test *args:
    #!/usr/bin/env bash
    set -euo pipefail
    export GAZETTE_TEST_DATABASE_URL="${GAZETTE_TEST_DATABASE_URL:-{{ local_test_database_url }}}"
    # Start the local PostgreSQL if the tests are to use it; a database you point
    # GAZETTE_TEST_DATABASE_URL at elsewhere is yours to run.
    case "$GAZETTE_TEST_DATABASE_URL" in
        *@127.0.0.1:5432/* | *@localhost:5432/*) bash scripts/ensure-postgres ;;
    esac
    echo "just test: GAZETTE_TEST_DATABASE_URL=$GAZETTE_TEST_DATABASE_URL"
    # The playground's browser test drives headless Chromium through chromedriver.
    bash scripts/ensure-chromium
    cargo test --workspace "$@"

# Check formatting and run clippy on every target; any warning fails.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# What CI runs (after `.ci/run` has installed the tools): lint, then test.
ci: lint test

# Start the gateway (release build) serving demo data.
run:
    cargo run --release -- serve --demo

# Format the workspace.
fmt:
    cargo fmt --all

# Load benchmark (docs/benchmarks.md): Gazette against PostGraphile on a generated data set of size s, m or l; engine postgres, sqlite or both. Not part of `test`.
bench size="s" engine="postgres":
    bash scripts/bench {{ size }} {{ engine }}
