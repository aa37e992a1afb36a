import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * S3Proxy as a process of its own for bench/e2e.sh's split shape, built like embedded-infra's S3Server
 * (filesystem-nio2 backend, AWS v2/v4 signatures, unknown headers ignored); S3Proxy's own Main needs args4j,
 * which the project's classpath does not have. Usage: S3ProxyProcess port baseDir accessKey secretKey
 * (the bucket is a directory under baseDir).
 */
public final class S3ProxyProcess {

    public static void main(String[] args) throws Exception {
        Properties backend = new Properties();
        backend.setProperty("jclouds.filesystem.basedir", args[1]);
        Files.createDirectories(Path.of(args[1], "dicomflow"));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem-nio2", backend))
                .endpoint(URI.create("http://127.0.0.1:" + args[0]))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[2], args[3])
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        proxy.start();
        System.out.println("S3Proxy on port " + args[0]);
        Thread.currentThread().join();
    }
}
