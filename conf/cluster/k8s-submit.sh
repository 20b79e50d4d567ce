#!/usr/bin/env bash
# Monthly refresh on Kubernetes (example: adapt the API server, registry and volumes).
#   k8s-submit.sh YYYY-MM [SITE.conf]
# The image is the repository's Dockerfile (apache/spark:3.5.7-scala2.12-java17-ubuntu + the job jar):
#   mvn -B -DskipTests package && docker build -t registry.example/atypie-spark:3.5.7 . && docker push ...
# SITE.conf (optional) travels with --files (spark.kubernetes.file.upload.path must name a shared
# location, e.g. an HDFS or S3 folder) and is read by its bare name; a hdfs:// URI also works for --config.
# Extract, out and work live here on one volume mounted by driver and executors; hdfs:// or s3a://
# URIs work as well (then the volume is not needed). The exact exit code of a failed run is in
# /data/atypie/out/YYYY-MM.status.json (spark-submit only says "failed").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
flags="$(cat "$here/target/classes/atypie-jvm.options")"
month="${1:?usage: k8s-submit.sh YYYY-MM [SITE.conf]}"
site="${2:-}"
files=() config=()
if [[ -n "$site" ]]; then
  files=(--files "$site" --conf spark.kubernetes.file.upload.path="${ATYPIE_UPLOAD_PATH:?set ATYPIE_UPLOAD_PATH (hdfs:// or s3a:// folder) to ship $site}")
  config=(--config "$(basename "$site")")
fi
spark-submit \
  --master k8s://https://kubernetes.example:6443 --deploy-mode cluster \
  --name "atypie-refresh-$month" \
  --conf spark.kubernetes.container.image=registry.example/atypie-spark:3.5.7 \
  --conf spark.kubernetes.namespace=risk \
  --conf spark.executor.instances=10 --conf spark.executor.memory=12g --conf spark.executor.cores=4 \
  --conf spark.sql.shuffle.partitions=400 \
  --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName=atypie-data \
  --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.path=/data \
  --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.claimName=atypie-data \
  --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.data.mount.path=/data \
  --conf spark.driver.extraJavaOptions="$flags" \
  --conf spark.executor.extraJavaOptions="$flags" \
  "${files[@]}" \
  --class fr.atypie.cli.AtypieCli \
  local:///opt/atypie/atypie-spark.jar \
  refresh --month "$month" --skip-if-published "${config[@]}" \
  --extract /data/snds/extract --out /data/atypie/out --work /data/atypie/work
