# The API for production: the esbuild bundle (npm run build -w api → api/dist/main.js) on Node 20,
# production dependencies only, no tsx at run time. Build from the repository root:
#   docker build -f api/deploy/api.Dockerfile -t power/api .

FROM node:20-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json tsconfig.base.json ./
COPY api/package.json api/
COPY web/package.json web/
COPY miniprogram/package.json miniprogram/
COPY e2e/package.json e2e/
RUN npm ci --workspace api --ignore-scripts
COPY api/ api/
RUN npm run typecheck -w api && npm run build -w api

FROM node:20-bookworm-slim
# Receipts and e-invoices are PDFs with Chinese text: a CJK font (found at its Debian path by config.ts).
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-noto-cjk tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production API_HOST=0.0.0.0 API_PORT=4000
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY web/package.json web/
COPY miniprogram/package.json miniprogram/
COPY e2e/package.json e2e/
RUN npm ci --workspace api --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /repo/api/dist api/dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini forwards SIGTERM: the API stops taking requests, lets a running job finish its write and gives its leases back.
ENTRYPOINT ["tini", "--"]
CMD ["node", "--enable-source-maps", "api/dist/main.js"]
