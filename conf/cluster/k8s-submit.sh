#!/usr/bin/env bash
# Monthly refresh on Kubernetes (example: adapt the API server, image and volumes). The image holds
# Spark 3.5 (Scala 2.12, Java 17) and /opt/atypie/atypie-spark.jar. Build first (the flags file):
# mvn -DskipTests package. Extract, out and work live on one volume mounted by driver and executors.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
flags="$(cat "$here/target/classes/atypie-jvm.options")"
month="${1:?usage: k8s-submit.sh YYYY-MM}"
spark-submit \
  --master k8s://https://kubernetes.example:6443 --deploy-mode cluster \
  --name "atypie-refresh-$month" \
  --conf spark.kubernetes.container.image=registry.example/atypie-spark:3.5.7 \
  --conf spark.kubernetes.namespace=risk \
  --conf spark.executor.instances=10 --conf spark.executor.memory=12g --conf spark.executor.cores=4 \
  --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName=atypie-data \
  --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.path=/data \
  --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.claimName=atypie-data \
  --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.data.mount.path=/data \
  --conf spark.driver.extraJavaOptions="$flags" \
  --conf spark.executor.extraJavaOptions="$flags" \
  --class fr.atypie.cli.AtypieCli \
  local:///opt/atypie/atypie-spark.jar \
  refresh --month "$month" --extract /data/snds/extract --out /data/atypie/out --work /data/atypie/work
