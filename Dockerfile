# anoniem: build with the Rust toolchain, run on a slim Debian.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY rules rules
COPY samples samples
COPY benches benches
COPY examples examples
RUN cargo build --release --locked --bin anoniem

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 anoniem
COPY --from=build /src/target/release/anoniem /usr/local/bin/anoniem
COPY rules /etc/anoniem/rules
USER anoniem
ENV ANONIEM_RULES_DIR=/etc/anoniem/rules
ENTRYPOINT ["anoniem"]
CMD ["run"]
