#!/usr/bin/env bash
# Monthly refresh on YARN (example: adapt queue, memory and paths). Build first: mvn -DskipTests package
#   yarn-submit.sh YYYY-MM [SITE.conf]
# SITE.conf (optional) is the region's HOCON configuration: --files ships it to the driver's working
# directory, where --config finds it by its bare name (a hdfs:// URI also works for --config).
# --conf values given here (shuffle partitions...) win over the job's own defaults.
# The extract, work area and output are hdfs:// URIs (every input, store and output goes through
# Hadoop's FileSystem API; s3a:// and paths of a POSIX mount every node sees work too; see docs/operators.md).
# Cluster mode: spark-submit only tells "failed"; the exact exit code (3, 4, 5) is in
# OUT/YYYY-MM.status.json, printed at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
flags="$(cat "$here/target/classes/atypie-jvm.options")"
month="${1:?usage: yarn-submit.sh YYYY-MM [SITE.conf]}"
site="${2:-}"
out=hdfs://nn:8020/risk/atypie/out
files=() config=()
if [[ -n "$site" ]]; then
  files=(--files "$site")
  config=(--config "$(basename "$site")")
fi
status=0
spark-submit \
  --master yarn --deploy-mode cluster --queue risk \
  --name "atypie refresh $month" \
  --driver-memory 8g --executor-memory 12g --executor-cores 4 --num-executors 20 \
  --conf spark.sql.shuffle.partitions=400 \
  --conf spark.yarn.submit.waitAppCompletion=true \
  --conf spark.yarn.maxAppAttempts=1 \
  --conf spark.driver.extraJavaOptions="$flags" \
  --conf spark.executor.extraJavaOptions="$flags" \
  "${files[@]}" \
  --class fr.atypie.cli.AtypieCli \
  "$here/target/atypie-spark.jar" \
  refresh --month "$month" --skip-if-published "${config[@]}" \
  --extract hdfs://nn:8020/risk/snds/extract --out "$out" --work hdfs://nn:8020/risk/atypie/work || status=$?
hdfs dfs -cat "$out/$month.status.json" 2>/dev/null || echo "no status file: the driver did not start" >&2
exit "$status"
