# AAS server image: `docker build -t aas-server .`, then `docker run -p 8081:8081 -v aas-data:/data aas-server`.
# The same image runs the demo's OPC UA simulator: command `node dist/demo/opcua-simulator-main.js`
# (see docker-compose.yml). Every setting is an environment variable (README, "Configuration").

# ---- build: all dependencies, TypeScript compiled to dist/ ----
# The full node image has python3, make and g++, which better-sqlite3 needs when no prebuilt binary fits.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- production dependencies only (no tsx, typescript, eslint…), native addons compiled here ----
FROM node:20-bookworm AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime: slim base, no compilers, no dev dependencies, not root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    AAS_HOST=0.0.0.0 \
    AAS_PORT=8081 \
    AAS_DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only to the `node` user: the process can write its data directory only.
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Files the server reads at run time, found relative to dist/ (src/project-files.ts, src/http/openapi-document.ts).
COPY package.json ./
COPY openapi ./openapi
COPY aas-schemas ./aas-schemas
COPY src/demo/environment.json ./src/demo/environment.json
# The embedded store, attachments and the OPC UA client's certificates. Created before VOLUME so that a new
# volume starts out owned by `node` (Docker copies the directory's ownership into an empty volume).
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8081
# /health is outside the API base path and answers 200 while the process serves HTTP. No curl in the slim
# image, so Node's fetch asks; it follows AAS_PORT if a deployment changes it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.AAS_PORT || 8081) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# main.ts handles SIGTERM itself (closes HTTP, connections and the store), so node can be PID 1.
CMD ["node", "dist/main.js"]
