package io.dicomflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.util.ClassUtils;

/**
 * A Spring Boot web application (Tomcat) with this library on its classpath, configured only through
 * {@link Infrastructure#springProperties()}, as the services and the standalone module will be.
 */
class SpringBootWebAppIT {

    static Infrastructure infra;
    static ConfigurableApplicationContext app;

    @SpringBootApplication
    static class App {
        @Bean
        Queue probeQueue() {
            return new Queue("webapp.probe", true);
        }
    }

    @BeforeAll
    static void start() {
        infra = Infrastructure.start(InfraOptions.forTests());
        long t0 = System.nanoTime();
        app = new SpringApplicationBuilder(App.class)
                .properties(infra.springProperties())
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
                .run();
        System.out.printf("Boot web app on the infrastructure: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void runsOnTomcatWithoutAnUnshadedJetty() {
        assertThat(((WebServerApplicationContext) app).getWebServer().getClass().getName()).contains("Tomcat");
        assertThat(ClassUtils.isPresent("org.eclipse.jetty.server.Server", null)).isFalse();
        assertThat(ClassUtils.isPresent("org.eclipse.jetty.ee10.servlet.ServletContextHandler", null)).isFalse();
    }

    @Test
    void bootsAutoConfiguredClientsReachTheServers() throws Exception {
        assertThat(app.getBean(JdbcTemplate.class).queryForObject("select 1", Integer.class)).isEqualTo(1);

        RabbitTemplate rabbit = app.getBean(RabbitTemplate.class);
        rabbit.convertAndSend("", "webapp.probe", "hello");
        assertThat(rabbit.receiveAndConvert("webapp.probe", 10_000)).isEqualTo("hello");

        SimpleMailMessage mail = new SimpleMailMessage();
        mail.setFrom("dicomflow@localhost");
        mail.setTo("bob@example.org");
        mail.setSubject("from boot " + UUID.randomUUID());
        mail.setText("body");
        app.getBean(JavaMailSender.class).send(mail);
        assertThat(infra.mail().waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(infra.mail().getReceivedMessages()).extracting(MimeMessage::getSubject).contains(mail.getSubject());
    }

    /** After Spring Boot configured logging (root INFO), S3Proxy's Jetty does not log at DEBUG either. */
    @Test
    void s3ProxyDoesNotLogAtDebugInsideABootApp() {
        assertThat(LoggerFactory.getLogger("org.gaul.shaded.org.eclipse.jetty.server.HttpChannel").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.gaul.s3proxy.S3ProxyHandler").isDebugEnabled()).isFalse();
    }
}
