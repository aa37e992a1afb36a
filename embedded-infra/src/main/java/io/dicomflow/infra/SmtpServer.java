package io.dicomflow.infra;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GreenMail with SMTP and IMAP on free ports of 127.0.0.1. The services send as {@value #USER}/{@value #PASSWORD};
 * every recipient gets a mailbox whose IMAP login and password are the recipient address
 * ({@code curl --user alice@example.org:alice@example.org imap://127.0.0.1:<port>/INBOX;UID=1}).
 * Mail lives in memory only, also in durable mode.
 */
final class SmtpServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
    static final String USER = "dicomflow";
    static final String PASSWORD = "dicomflow";

    private final GreenMail greenMail;

    private SmtpServer(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    static SmtpServer start() {
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, FreePorts.HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort(),
                new ServerSetup(0, FreePorts.HOST, ServerSetup.PROTOCOL_IMAP).dynamicPort()});
        greenMail.withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, PASSWORD));
        nameTheMailStreamProvider();
        greenMail.start();
        return new SmtpServer(greenMail);
    }

    /**
     * GreenMail parses every received mail with Jakarta Mail 2.1, which looks its {@code StreamProvider} up per
     * body part and header block: first in this system property, else by a ServiceLoader scan of every jar
     * (jakartaee/mail-api#699, #861). Naming Angus Mail's provider turns the scan into a loaded-class look-up.
     * An operator's own setting is kept; without Angus Mail nothing is set.
     */
    static void nameTheMailStreamProvider() {
        String property = "jakarta.mail.util.StreamProvider";
        String angus = "org.eclipse.angus.mail.util.MailStreamProvider";
        if (System.getProperty(property) == null) {
            try {
                Class.forName(angus, false, SmtpServer.class.getClassLoader());
                System.setProperty(property, angus);
            } catch (ClassNotFoundException e) {
                // another Jakarta Mail implementation: keep its own look-up
            }
        }
    }

    GreenMail greenMail() {
        return greenMail;
    }

    int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    int imapPort() {
        return greenMail.getImap().getPort();
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.mail.host", FreePorts.HOST);
        p.put("spring.mail.port", smtpPort());
        p.put("spring.mail.username", USER);
        p.put("spring.mail.password", PASSWORD);
        p.put("spring.mail.properties.mail.smtp.auth", true);
        p.put("dicomflow.mail.imap-port", imapPort());
        return p;
    }

    @Override
    public String describe() {
        return "SMTP: embedded GreenMail on " + FreePorts.HOST + ":" + smtpPort() + " (IMAP on " + FreePorts.HOST + ":"
                + imapPort() + ", login and password = recipient address; mail kept in memory)";
    }

    @Override
    public void close() {
        try {
            greenMail.stop();
        } catch (RuntimeException e) {
            log.warn("GreenMail did not stop cleanly", e);
        }
    }
}
