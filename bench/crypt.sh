#!/usr/bin/env bash
# Benchmark: the cost of encryption at rest on the backup stream, in-process (no S3, no
# PostgreSQL): N MiB of hex text through zstd level 3 alone vs zstd then Tink streaming
# AES-256-GCM-HKDF (RepositoryCipher), one core each.
#
#   mvn -q -o -DskipTests package && bench/crypt.sh [MiB, default 512]
set -euo pipefail
cd "$(dirname "$0")/.."
cp="activities/target/classes:workflows/target/classes:starter-cli/target/lib/*"
exec java -cp "$cp" bench/CryptBench.java "${1:-512}"
