# syntax=docker/dockerfile:1
# trailwarden: the daemon image. Build: docker build -t trailwarden . ; run: see deploy/README.md.

# --- build: compile TypeScript with the dev dependencies ---------------------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies only, non-root, read-only friendly -------------------------------
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TRAILWARDEN_RULES=/app/rules \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The bundled rules (and their test fixtures: reloads run the rule tests). Mount your own folder over
# /app/rules, or point TRAILWARDEN_RULES elsewhere; TRAILWARDEN_CONFIG names your trailwarden.yaml.
COPY rules ./rules
COPY trailwarden.example.yaml ./
# The official image's unprivileged user (uid 1000). Nothing is written at run time: logs go to stdout,
# so the container runs with a read-only root filesystem.
USER node
EXPOSE 8080
# No curl in the image: Node's own fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM from ECS directly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["run"]
