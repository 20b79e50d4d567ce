package fr.atypie.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 endpoint for the object-store tests: S3Proxy (objects kept in memory, no
 * authentication) in a child JVM on a free port, reached through Hadoop's own S3A client
 * ({@code s3a://<bucket>/...}) as a cluster reaches S3, MinIO or Ceph. S3 has no directory rename:
 * S3A renames by copying each object then deleting it, which is why publication there cannot be
 * a folder swap. One server and one bucket per test class:
 * {@code @RegisterExtension static final S3Server.PerClass S3 = new S3Server.PerClass();}
 */
public final class S3Server {
    /** Set by the build (pom.xml): the self-contained S3Proxy jar copied under target/. */
    static final String JAR_PROPERTY = "atypie.test.s3proxy.jar";

    private S3Server() {
    }

    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private Process server;
        private Path folder;
        private String bucket;
        private String endpoint;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            String jar = System.getProperty(JAR_PROPERTY, "target/s3proxy/s3proxy.jar");
            if (!Files.isRegularFile(Path.of(jar))) {
                throw new IllegalStateException("S3Proxy jar " + jar + " not found: run the tests through Maven "
                        + "(its generate-test-resources phase copies it)");
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            endpoint = "http://127.0.0.1:" + port;
            folder = Files.createTempDirectory("atypie-s3-");
            Path conf = Files.writeString(folder.resolve("s3proxy.conf"), String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=none",
                    "jclouds.provider=transient",
                    "jclouds.identity=local",
                    "jclouds.credential=local", ""), StandardCharsets.UTF_8);
            server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar, "--properties", conf.toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("s3proxy.log").toFile()).start();
            // A bucket of its own per class: S3A's file systems are cached per bucket, not per endpoint.
            bucket = "atypie-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
            createBucket();
            configure(SharedSpark.get().sparkContext().hadoopConfiguration());
        }

        /** Creates the bucket, retrying while the server starts (about 2 s; up to 2 min on a loaded machine). */
        private void createBucket() throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest put = HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (true) {
                try {
                    HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("S3Proxy refused bucket " + bucket + ": " + r.statusCode() + " " + r.body());
                    }
                    return;
                } catch (java.net.ConnectException e) {
                    if (!server.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("S3Proxy did not start; its log: "
                                + Files.readString(folder.resolve("s3proxy.log")), e);
                    }
                    Thread.sleep(100);
                }
            }
        }

        /** The settings S3A needs for this server, scoped to this class's bucket. */
        public void configure(Configuration conf) {
            String b = "fs.s3a.bucket." + bucket + ".";
            conf.set(b + "endpoint", endpoint);
            conf.set(b + "endpoint.region", "us-east-1");
            conf.setBoolean(b + "path.style.access", true);
            conf.setBoolean(b + "connection.ssl.enabled", false);
            conf.set(b + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
            conf.setInt(b + "attempts.maximum", 2);
            conf.setInt(b + "retry.limit", 2);
        }

        /** A fresh Hadoop configuration reaching this server. */
        public Configuration configuration() {
            Configuration conf = new Configuration();
            configure(conf);
            return conf;
        }

        /** {@code s3a://<bucket>}. */
        public String uri() {
            return "s3a://" + bucket;
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            if (folder != null) {
                for (Path p : List.of(folder.resolve("s3proxy.log"), folder.resolve("s3proxy.conf"), folder)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
