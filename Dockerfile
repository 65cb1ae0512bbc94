# syntax=docker/dockerfile:1

# --- build: compile TypeScript to dist/ ---------------------------------------------------------
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs the package's preinstall (the Node version check); prepare skips its git hook here.
COPY scripts/check-node.cjs ./scripts/
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies + compiled code, as the non-root user `node` --------------
FROM node:24-slim AS runtime
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
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
CMD ["node", "dist/main.js"]
