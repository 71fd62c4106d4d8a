# syntax=docker/dockerfile:1
# The argocd-eso-plugin sidecar image. Argo CD's cmp-server binary is not in here: the repo-server's
# init container copies it into the shared var-files volume, and the sidecar runs it from there.

# Tool versions: Argo CD's own pins (hack/tool-versions.sh), checksums from hack/installers/checksums.
# Helm v4.2.4, Kustomize v5.8.1 — match them to the Argo CD release you run (docs/sources.md).
# --- tools: pinned kustomize and helm, verified against their sha256 before use
FROM debian:bookworm-slim AS tools
ARG TARGETARCH
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
RUN set -eux; \
    case "${TARGETARCH:-amd64}" in \
      amd64) arch=amd64; \
             helm_sha=c306b46f719b0a4da32d0f78ee21bf90ce8d602f15b22ab753f0674d1670a7f3; \
             kustomize_sha=029a7f0f4e1932c52a0476cf02a0fd855c0bb85694b82c338fc648dcb53a819d ;; \
      arm64) arch=arm64; \
             helm_sha=564de2191b881e9f71b5606b25345821ea1682f06ab90499d3ab22b530176da1; \
             kustomize_sha=0953ea3e476f66d6ddfcd911d750f5167b9365aa9491b2326398e289fef2c142 ;; \
      *) echo "unsupported architecture ${TARGETARCH}" >&2; exit 1 ;; \
    esac; \
    curl -fsSLo /tmp/helm.tar.gz "https://get.helm.sh/helm-v4.2.4-linux-${arch}.tar.gz"; \
    echo "${helm_sha}  /tmp/helm.tar.gz" | sha256sum -c -; \
    tar -C /tmp -xzf /tmp/helm.tar.gz "linux-${arch}/helm"; \
    install -m 0755 "/tmp/linux-${arch}/helm" /usr/local/bin/helm; \
    curl -fsSLo /tmp/kustomize.tar.gz "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize/v5.8.1/kustomize_v5.8.1_linux_${arch}.tar.gz"; \
    echo "${kustomize_sha}  /tmp/kustomize.tar.gz" | sha256sum -c -; \
    tar -C /tmp -xzf /tmp/kustomize.tar.gz kustomize; \
    install -m 0755 /tmp/kustomize /usr/local/bin/kustomize; \
    helm version --short; kustomize version

# --- build: install dev dependencies, bundle the CLI (esbuild splits provider SDKs into lazy chunks)
# The V8 startup snapshot is built in the runtime stage below, by the Node that will load it.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build -- --no-snapshot

# --- runtime: Node LTS and the bundle only. The bundle is self-contained (production dependencies
# are inside its chunks), so no node_modules and no npm at run time.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOME=/tmp
WORKDIR /opt/argocd-eso-plugin
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist ./dist
COPY plugin/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
# Kustomize and Helm apps are rendered with the real tools (no network unless the admin allows it).
COPY --from=tools /usr/local/bin/helm /usr/local/bin/kustomize /usr/local/bin/
# argocd-eso-plugin (what plugin.yaml runs) is a launcher that starts the CLI from a V8 startup
# snapshot: dist/cli.blob, built here, in place, by this image's Node (a blob loads only in the
# Node that built it). Building it renders a built-in training app and checks the result, so a
# broken bundle fails the image build; the --version and debug lines below prove the blob loads.
COPY plugin/argocd-eso-plugin /usr/local/bin/argocd-eso-plugin
RUN chmod 0755 /usr/local/bin/argocd-eso-plugin /opt/argocd-eso-plugin/dist/cli.mjs \
 && node --snapshot-blob dist/cli.blob --build-snapshot dist/snapshot.cjs \
 && argocd-eso-plugin --version \
 && mkdir /tmp/empty-app && ESO_PLUGIN_DEBUG=true argocd-eso-plugin generate /tmp/empty-app 2>&1 | grep -q 'started from the V8 startup snapshot' \
 && rm -rf /tmp/empty-app
# uid 999, as Argo CD requires for the plugin socket shared with the repo-server.
USER 999
ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]
