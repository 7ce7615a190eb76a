# The Lifeboat worker image (docker-compose.yml builds it). Build the jars first:
#   mvn -q -B -DskipTests package
FROM eclipse-temurin:17-jre

# pg_dump / pg_restore / psql 15 from the PostgreSQL apt repository, zstd and tar for archives
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl gnupg zstd; \
    install -d /usr/share/postgresql-common/pgdg; \
    curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc; \
    . /etc/os-release; \
    echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list; \
    apt-get update; \
    apt-get install -y --no-install-recommends postgresql-client-15; \
    rm -rf /var/lib/apt/lists/*; \
    useradd --system --create-home --home-dir /var/lib/lifeboat --shell /usr/sbin/nologin lifeboat

ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    LIFEBOAT_CONFIG=/etc/lifeboat/lifeboat.yml \
    LIFEBOAT_LOG_LEVEL=INFO
WORKDIR /opt/lifeboat
COPY starter-cli/target/lib/ /opt/lifeboat/lib/
COPY starter-cli/target/lifeboat-cli.jar /opt/lifeboat/lifeboat-cli.jar

USER lifeboat
EXPOSE 9464
ENTRYPOINT ["java", "-cp", "/opt/lifeboat/lifeboat-cli.jar:/opt/lifeboat/lib/*", "io.lifeboat.worker.WorkerMain"]
CMD ["--config", "/etc/lifeboat/lifeboat.yml"]
