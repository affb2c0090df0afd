# The bot as a container: the bundled bot (dist/, no node_modules), run as an unprivileged user,
# its accepted triggers kept in a volume so a restart loses nothing, and a health check on
# /healthz. Build from the repository's root:
#   docker build -t tinyforge-bot .
# BASE is any image with Node 20 and a shell; CI builds one from the machine's own node binary
# (no registry is reachable there): test/images/node-base.
ARG BASE=node:20-bookworm-slim
FROM ${BASE}
WORKDIR /app
COPY package.json ./
COPY bin/tinyforge-bot.js bin/
COPY dist/ dist/
RUN mkdir -p /var/lib/tinyforge-bot && chown 10001:10001 /var/lib/tinyforge-bot
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 TINYFORGE_BOT_STATE_DIR=/var/lib/tinyforge-bot
VOLUME /var/lib/tinyforge-bot
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/tinyforge-bot.js"]
