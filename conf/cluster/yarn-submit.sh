#!/usr/bin/env bash
# Monthly refresh on YARN (example: adapt queue, memory and paths). Build first: mvn -DskipTests package
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
  refresh --month "$month" --extract hdfs:///snds/extract --out /data/atypie/out --work /data/atypie/work
