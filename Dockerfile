# The Lifeboat worker image (docker-compose.yml builds it). Build the jars first:
#   mvn -q -B -DskipTests package
FROM eclipse-temurin:17-jre

# The tools the worker runs, so the image can do every step of a one-machine estate (and be a
# host's agent: `--entrypoint java ... io.lifeboat.worker.AgentMain --host NAME`, as root):
#   PostgreSQL 15 client and server binaries (pg_dump, pg_restore, psql, pg_basebackup,
#     pg_verifybackup, pg_ctl, postgres, initdb: PITR and recoveries run a scratch server)
#     from the PostgreSQL apt repository, the stack's major;
#   node and npm (npm ci of a release) and PM2, pinned as the launcher pins it (PM2_PIN in
#     launcher/common.bash; tests/docker_image_test.sh checks they agree);
#   nginx and certbot (server recovery: services and TLS), ansible and openssh-client
#     (provisioning playbooks over SSH), restic, borgbackup, rsync, duplicity and python3-boto3
#     (files sources: the four engines; duplicity's S3 backend needs python3-boto3),
#     bacula-console (bconsole: bacula: jobs of an existing Director), zstd and tar (archives).
ARG PM2_VERSION=6.0.14
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl gnupg zstd tar; \
    install -d /usr/share/postgresql-common/pgdg; \
    curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc; \
    . /etc/os-release; \
    echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
      postgresql-client-15 postgresql-15 \
      nodejs npm \
      nginx certbot \
      ansible openssh-client \
      restic borgbackup rsync duplicity python3-boto3 \
      bacula-console; \
    npm install -g --no-audit --no-fund "pm2@${PM2_VERSION}"; \
    npm cache clean --force; \
    rm -rf /var/lib/apt/lists/*; \
    useradd --system --create-home --home-dir /var/lib/lifeboat --shell /usr/sbin/nologin lifeboat

ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    LIFEBOAT_PM2_BIN=/usr/local/bin/pm2 \
    LIFEBOAT_CONFIG=/etc/lifeboat/lifeboat.yml \
    LIFEBOAT_LOG_LEVEL=INFO
WORKDIR /opt/lifeboat
COPY starter-cli/target/lib/ /opt/lifeboat/lib/
COPY starter-cli/target/lifeboat-cli.jar /opt/lifeboat/lifeboat-cli.jar

USER lifeboat
EXPOSE 9464
ENTRYPOINT ["java", "-cp", "/opt/lifeboat/lifeboat-cli.jar:/opt/lifeboat/lib/*", "io.lifeboat.worker.WorkerMain"]
CMD ["--config", "/etc/lifeboat/lifeboat.yml"]
