# Builds bedside and runs `bedside serve` (README.md, "Deployment").
#   docker build -t bedside .
#   docker run -p 8080:8080 -v bedside-data:/var/lib/bedside \
#     -e BEDSIDE_WEBHOOK_SECRET=whsec_... bedside
# The image carries the shipped example rulebook in /etc/bedside; mount a practice's own over it:
#   -v /srv/practice:/etc/bedside:ro

FROM swift:6.3-bookworm AS build
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libpcre2-dev libvectorscan-dev libsqlite3-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product bedside \
    && install -D "$(swift build -c release --show-bin-path)/bedside" /out/bedside

FROM debian:bookworm-slim
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libpcre2-8-0 libvectorscan5 libsqlite3-0 libcurl4 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/bedside --shell /usr/sbin/nologin bedside \
    && install -d -o bedside -g bedside -m 0750 /var/lib/bedside
COPY --from=build /out/bedside /usr/local/bin/bedside
COPY bedside.yaml guard.yaml /etc/bedside/
COPY rules /etc/bedside/rules
COPY responses /etc/bedside/responses
COPY lists /etc/bedside/lists
COPY fragments /etc/bedside/fragments
COPY README.md LICENSE /usr/local/share/doc/bedside/

USER bedside
WORKDIR /var/lib/bedside
VOLUME /var/lib/bedside
ENV BEDSIDE_CONFIG=/etc/bedside/bedside.yaml \
    BEDSIDE_HOST=0.0.0.0 \
    BEDSIDE_PORT=8080 \
    BEDSIDE_LOG_LEVEL=info
EXPOSE 8080
# serve refuses to start on a configuration that does not load (exit status 2).
ENTRYPOINT ["/usr/local/bin/bedside"]
CMD ["serve", "--store", "/var/lib/bedside/bedside.sqlite"]
