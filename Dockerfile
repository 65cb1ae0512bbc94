# syntax=docker/dockerfile:1

# The official Node 24 image; a build without registry access passes a local one instead
# (`--build-arg BASE_IMAGE=...`, see docs/deploy.md).
ARG BASE_IMAGE=node:24-slim

# --- build: compile TypeScript to dist/ ---------------------------------------------------------
FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs the package's preinstall (the Node version check); prepare skips its git hook here.
COPY scripts/check-node.cjs ./scripts/
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies + compiled code, as the non-root user `node` --------------
FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    SQLITE_PATH=/app/data/shotclock.sqlite
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/check-node.cjs ./scripts/
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config ./config
COPY console ./console
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
CMD ["node", "dist/main.js"]
