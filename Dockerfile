# syntax=docker/dockerfile:1
# The argocd-eso-plugin sidecar image. Argo CD's cmp-server binary is not in here: the repo-server's
# init container copies it into the shared var-files volume, and the sidecar runs it from there.

# --- build: install dev dependencies, bundle the CLI (esbuild splits provider SDKs into lazy chunks)
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# --- runtime: Node LTS and the bundle only. The bundle is self-contained (production dependencies
# are inside its chunks), so no node_modules and no npm at run time.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOME=/tmp
WORKDIR /opt/argocd-eso-plugin
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist ./dist
COPY plugin/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
RUN ln -s /opt/argocd-eso-plugin/dist/cli.mjs /usr/local/bin/argocd-eso-plugin \
 && chmod 0755 /opt/argocd-eso-plugin/dist/cli.mjs \
 && argocd-eso-plugin --version
# uid 999, as Argo CD requires for the plugin socket shared with the repo-server.
USER 999
ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]
