# ecslint as a container image: a static musl binary on an empty base.
#   docker build -t ecslint .
#   docker run --rm -v "$PWD:/src" ecslint check .
# Built (never pushed) by .github/workflows/release.yml; publishing is a manual step (RELEASING.md).
# Build stage: the same musl build as scripts/package.sh --target <arch>-unknown-linux-musl.
ARG RUST_VERSION=1.88
FROM rust:${RUST_VERSION}-slim-bookworm AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG TARGETARCH=amd64
WORKDIR /build
COPY . .
RUN case "$TARGETARCH" in \
      amd64) triple=x86_64-unknown-linux-musl ;; \
      arm64) triple=aarch64-unknown-linux-musl ;; \
      *) echo "unsupported TARGETARCH $TARGETARCH" >&2; exit 1 ;; \
    esac \
    && rustup target add "$triple" \
    && cargo build --release --locked --target "$triple" \
    && cp "target/$triple/release/ecslint" /ecslint \
    && /ecslint --version

FROM scratch
LABEL org.opencontainers.image.title="ecslint" \
      org.opencontainers.image.description="Static analyzer for Amazon ECS task definitions, Terraform and CloudFormation" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/ecslint/ecslint"
COPY --from=build /ecslint /ecslint
COPY LICENSE /LICENSE
WORKDIR /src
ENTRYPOINT ["/ecslint"]
CMD ["check", "."]
