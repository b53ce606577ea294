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

# Fuzz the parsers that take outside input with cargo-fuzz: each target for SECONDS (default 20), or only the TARGETS named (document_number, partial_date, person_name, fold, ingest, popolo). Optimized, with AddressSanitizer; GAZETTE_FUZZ_BUILD=quick builds unoptimized without it (CI). A crash fails; its input is in crates/*/fuzz/artifacts/. See docs/security.md.
fuzz seconds="20" *targets:
    #!/usr/bin/env bash
    set -euo pipefail
    seconds="$1"; shift
    # cargo-fuzz turns on AddressSanitizer with a nightly-only rustc flag (-Zsanitizer=address);
    # RUSTC_BOOTSTRAP=1 lets the stable toolchain accept it.
    export RUSTC_BOOTSTRAP=1
    cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
    case "${GAZETTE_FUZZ_BUILD:-release}" in
        release) build=() ;;
        # For short runs, where the instrumented build of the gateway's dependencies is most of the cost.
        quick) build=(--dev --sanitizer none) ;;
        *) echo "just fuzz: GAZETTE_FUZZ_BUILD is release or quick" >&2; exit 2 ;;
    esac
    all=(domain/document_number domain/partial_date domain/person_name domain/fold ingest/ingest gateway/popolo)
    for name in "$@"; do
        printf '%s\n' "${all[@]#*/}" | grep -qxF "$name" || { echo "just fuzz: no target $name" >&2; exit 2; }
    done
    for entry in "${all[@]}"; do
        crate="${entry%/*}" target="${entry#*/}"
        if [ "$#" -gt 0 ] && ! printf '%s\n' "$@" | grep -qxF "$target"; then continue; fi
        dir="crates/$crate/fuzz"
        corpus=("$dir/corpus/$target")
        options=(-max_total_time="$seconds" -timeout=25 -print_final_stats=1)
        if [ -d "$dir/seeds/$target" ]; then corpus+=("$dir/seeds/$target"); fi
        case "$target" in
            ingest) corpus+=(crates/ingest/tests/corpus) ;;
            popolo) corpus+=(tests/data/popolo); options+=(-dict="$dir/popolo.dict") ;;
        esac
        mkdir -p "${corpus[0]}"
        echo "just fuzz: $target, ${seconds}s"
        cargo fuzz run "${build[@]}" --fuzz-dir "$dir" --target-dir target/fuzz "$target" "${corpus[@]}" -- "${options[@]}"
    done

# What CI runs (after `.ci/run` has installed the tools): lint, test, then every fuzz target for 15 seconds (quick builds: about 5 minutes on 2 cores).
ci: lint test
    GAZETTE_FUZZ_BUILD=quick {{ just_executable() }} --justfile {{ justfile() }} fuzz 15

# Start the gateway (release build) serving demo data.
run:
    cargo run --release -- serve --demo

# Format the workspace.
fmt:
    cargo fmt --all

# Load benchmark (docs/benchmarks.md): Gazette against PostGraphile on a generated data set of size s, m or l; engine postgres, sqlite or both. Not part of `test`.
bench size="s" engine="postgres":
    bash scripts/bench {{ size }} {{ engine }}
