#!/usr/bin/env bash
# Monthly refresh on YARN (example: adapt queue, memory and paths). Build first: mvn -DskipTests package
# The job reads the extract and writes the publication through the local file system (java.nio, plus
# Spark's Parquet writer into the staging folder): extract, out and work must be one POSIX mount seen
# by every node (NFS, HDFS NFS gateway...), not hdfs:// URIs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
flags="$(cat "$here/target/classes/atypie-jvm.options")"
month="${1:?usage: yarn-submit.sh YYYY-MM}"
spark-submit \
  --master yarn --deploy-mode cluster --queue risk \
  --name "atypie refresh $month" \
  --driver-memory 8g --executor-memory 12g --executor-cores 4 --num-executors 20 \
  --conf spark.sql.shuffle.partitions=400 \
  --conf spark.driver.extraJavaOptions="$flags" \
  --conf spark.executor.extraJavaOptions="$flags" \
  --class fr.atypie.cli.AtypieCli \
  "$here/target/atypie-spark.jar" \
  refresh --month "$month" --extract /mnt/risk/snds/extract --out /mnt/risk/atypie/out --work /mnt/risk/atypie/work
