# One image for every MuckWatch process; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts && npm install --no-save tsx
COPY . .
ENV NODE_ENV=production DATA_DIR=/data
VOLUME ["/data"]
