package io.dicomflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * S3Proxy in this JVM, answering S3 on 127.0.0.1 with AWS v2/v4 signatures, and the bucket {@value #BUCKET}.
 *
 * <p>Durable: backend {@code filesystem-nio2} under {@code <dataDir>/s3/blobs} (one plain file per object, metadata in
 * user extended attributes) and the keys kept in {@code <dataDir>/s3/credentials.properties}. Ephemeral: backend
 * {@code transient-nio2} (in memory) and random keys. {@code ignoreUnknownHeaders} is needed because the SDK's
 * multipart clients send {@code x-amz-mp-object-size}, which S3Proxy otherwise answers with 501.
 */
final class S3Server implements Component {

    private static final Logger log = LoggerFactory.getLogger(S3Server.class);
    static final String BUCKET = "dicomflow";
    static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;
    private final Path blobDir;

    private S3Server(S3Proxy proxy, String accessKey, String secretKey, Path blobDir) {
        this.proxy = proxy;
        this.endpoint = "http://" + FreePorts.HOST + ":" + proxy.getPort();
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.blobDir = blobDir;
    }

    static S3Server start(Path dataDir, boolean durable) {
        try {
            Properties backend = new Properties();
            Path blobDir = null;
            String[] keys;
            if (durable) {
                Path s3Dir = Files.createDirectories(dataDir.resolve("s3"));
                blobDir = Files.createDirectories(s3Dir.resolve("blobs"));
                backend.setProperty("jclouds.filesystem.basedir", blobDir.toString());
                keys = loadOrCreateKeys(s3Dir.resolve("credentials.properties"));
            } else {
                keys = new String[] {randomHex(10), randomHex(20)};
            }
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(BlobStores.create(durable ? "filesystem-nio2" : "transient-nio2", backend))
                    .endpoint(URI.create("http://" + FreePorts.HOST + ":0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, keys[0], keys[1])
                    .ignoreUnknownHeaders(true)
                    .stopTimeout(0) // no graceful stop: it waits for idle keep-alive connections of clients
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline || "FAILED".equals(proxy.getState())) {
                    stopQuietly(proxy);
                    throw new IllegalStateException("S3Proxy did not start, state " + proxy.getState());
                }
                Thread.sleep(10);
            }
            S3Server server = new S3Server(proxy, keys[0], keys[1], blobDir);
            try {
                server.createBucket();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting S3Proxy", e);
        } catch (IOException e) {
            throw new UncheckedIOException("S3Proxy did not start", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /** A client for this endpoint (path-style, us-east-1, the JDK's HTTP client); the caller closes it. */
    S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private void createBucket() {
        try (S3Client s3 = client()) {
            try {
                s3.headBucket(b -> b.bucket(BUCKET));
            } catch (NoSuchBucketException e) {
                s3.createBucket(b -> b.bucket(BUCKET));
            }
        }
    }

    int port() {
        return proxy.getPort();
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dicomflow.storage.endpoint", endpoint);
        p.put("dicomflow.storage.access-key", accessKey);
        p.put("dicomflow.storage.secret-key", secretKey);
        p.put("dicomflow.storage.bucket", BUCKET);
        p.put("dicomflow.storage.region", REGION);
        p.put("dicomflow.storage.path-style", true);
        // S3Proxy accepts x-amz-server-side-encryption (ignoreUnknownHeaders) but writes plain files: asking for
        // it would claim an encryption that does not happen. The data directory's disk is what protects them.
        p.put("dicomflow.storage.server-side-encryption", "none");
        return p;
    }

    @Override
    public String describe() {
        return "S3: embedded S3Proxy on " + endpoint + ", bucket " + BUCKET + ", access key " + accessKey
                + (blobDir != null ? " (objects unencrypted in " + blobDir + ", keys in " + blobDir.resolveSibling("credentials.properties") + ")"
                        : " (in memory)");
    }

    @Override
    public void close() {
        stopQuietly(proxy);
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            log.warn("S3Proxy did not stop cleanly", e);
        }
    }

    private static String[] loadOrCreateKeys(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        String access = p.getProperty("access-key");
        String secret = p.getProperty("secret-key");
        if (access == null || secret == null) {
            access = randomHex(10);
            secret = randomHex(20);
            p.setProperty("access-key", access);
            p.setProperty("secret-key", secret);
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "dicomflow standalone S3 endpoint keys");
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        return new String[] {access, secret};
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
