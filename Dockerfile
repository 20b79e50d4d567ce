# The job's image for Kubernetes (conf/cluster/k8s-submit.sh): the official Apache Spark 3.5.7
# image (Scala 2.12, Java 17) plus the job jar and the JVM flags Spark needs on Java 17.
# Build the jar first (mvn -B -DskipTests package), then: docker build -t atypie-spark:3.5.7 .
FROM apache/spark:3.5.7-scala2.12-java17-ubuntu

USER root
RUN mkdir -p /opt/atypie/conf
COPY target/atypie-spark.jar /opt/atypie/atypie-spark.jar
COPY target/classes/atypie-jvm.options /opt/atypie/atypie-jvm.options
COPY conf/log4j2.properties /opt/atypie/conf/log4j2.properties
RUN chmod -R a+rX /opt/atypie
# The image's unprivileged user (uid 185), as in the official image.
USER spark
