package io.dicomflow.infra;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds clients the way the services will: from {@link Infrastructure#springProperties()} only. */
final class Clients {

    private Clients() {
    }

    static String str(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing property " + key);
        }
        return v.toString();
    }

    static Connection jdbc(Map<String, Object> p) throws SQLException {
        return DriverManager.getConnection(str(p, "spring.datasource.url"), str(p, "spring.datasource.username"),
                str(p, "spring.datasource.password"));
    }

    static CachingConnectionFactory rabbit(Map<String, Object> p) {
        CachingConnectionFactory cf = new CachingConnectionFactory(str(p, "spring.rabbitmq.host"),
                Integer.parseInt(str(p, "spring.rabbitmq.port")));
        cf.setUsername(str(p, "spring.rabbitmq.username"));
        cf.setPassword(str(p, "spring.rabbitmq.password"));
        cf.setVirtualHost(str(p, "spring.rabbitmq.virtual-host"));
        cf.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        cf.setPublisherReturns(true);
        return cf;
    }

    static S3Client s3(Map<String, Object> p) {
        return S3Client.builder()
                .endpointOverride(URI.create(str(p, "dicomflow.storage.endpoint")))
                .region(Region.of(str(p, "dicomflow.storage.region")))
                .forcePathStyle(Boolean.parseBoolean(str(p, "dicomflow.storage.path-style")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        str(p, "dicomflow.storage.access-key"), str(p, "dicomflow.storage.secret-key"))))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    static JavaMailSenderImpl mail(Map<String, Object> p) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(str(p, "spring.mail.host"));
        sender.setPort(Integer.parseInt(str(p, "spring.mail.port")));
        sender.setUsername(str(p, "spring.mail.username"));
        sender.setPassword(str(p, "spring.mail.password"));
        Properties props = new Properties();
        props.setProperty("mail.smtp.auth", str(p, "spring.mail.properties.mail.smtp.auth"));
        props.setProperty("mail.smtp.connectiontimeout", "5000");
        props.setProperty("mail.smtp.timeout", "5000");
        sender.setJavaMailProperties(props);
        return sender;
    }
}
