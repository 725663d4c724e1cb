# syntax=docker/dockerfile:1
# The sigfox-sim image: the release binary that scripts/package builds outside the image (as the release
# tools of Go and Rust CLIs do), installed from its .deb on Debian's slim base. No Swift inside.
#
#   scripts/package                      # dist/sigfox-sim_<version>_<arch>.deb
#   docker build -t sigfox-sim .
#   docker run --rm -p 8790:8790 sigfox-sim                                      # serve, published on 8790
#   docker run --rm -v "$PWD:/work" sigfox-sim run Scenarios/quickstart.yaml     # a scenario of yours, in CI
#
# serve listens on 0.0.0.0 inside the container only; -p publishes it. /data keeps serve's state
# (--data /data) across restarts when a volume is mounted there. It runs as the unprivileged user sigfox.
FROM debian:bookworm-slim

# The .deb is mounted for the install only, so no layer keeps a copy of it.
RUN --mount=type=bind,source=dist,target=/dist \
    apt-get update \
    && apt-get install -y --no-install-recommends /dist/sigfox-sim_*.deb \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin sigfox \
    && mkdir -p /data /work \
    && chown sigfox:sigfox /data

USER sigfox
WORKDIR /work
VOLUME ["/data"]
EXPOSE 8790
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["sigfox-sim", "health"]
ENTRYPOINT ["sigfox-sim"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8790", "--data", "/data"]
