package io.dicomflow.cli.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

import io.dicomflow.cli.CliException;

/**
 * Decides which token issuer the CLI may send credentials to. {@code /api/config} is public and
 * unauthenticated, so whoever answers it (a wrong {@code --server}, a proxy, a compromised portal) could
 * otherwise name an issuer of their own and collect the client secret or the device sign-in.
 *
 * <p>So the issuer is pinned per server: given explicitly ({@code --issuer} / {@code DICOMFLOW_ISSUER}), or
 * saved on first use (trust on first use, announced on stderr) in a small properties file. A server whose
 * {@code /api/config} later names another issuer is refused, and so is an issuer that is not {@code https}
 * unless it is on this machine (loopback), where plain http cannot be overheard.
 */
public final class IssuerPin {

    private final Path pinFile;
    private final PrintWriter err;

    /** @param pinFile where server → issuer pins are kept; created with its folder on first use */
    public IssuerPin(Path pinFile, PrintWriter err) {
        this.pinFile = pinFile;
        this.err = err;
    }

    /** {@code $DICOMFLOW_ISSUER_PINS}, else {@code $XDG_CONFIG_HOME/dicomflow/issuers.properties}, else under ~/.config. */
    public static Path defaultPinFile() {
        String explicit = System.getenv("DICOMFLOW_ISSUER_PINS");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("dicomflow").resolve("issuers.properties");
    }

    /**
     * The issuer to use for {@code server}.
     *
     * @param server     the server whose {@code /api/config} was read
     * @param advertised the issuer {@code /api/config} names, or null
     * @param explicit   the issuer the user gave, or null; it replaces an earlier pin
     * @throws CliException (exit code 2, one line) for an issuer that is not allowed
     */
    public String resolve(URI server, String advertised, String explicit) {
        String key = serverKey(server);
        if (explicit != null && !explicit.isBlank()) {
            String issuer = normalize(explicit, "--issuer");
            requireSecureTransport(issuer);
            if (advertised != null && !issuer.equals(normalize(advertised, "the server's issuer"))) {
                throw CliException.invalidInput("server " + key + " names token issuer " + advertised
                        + ", not the given --issuer " + issuer + "; refusing to send credentials");
            }
            Properties pins = load();
            if (!issuer.equals(pins.getProperty(key))) {
                pins.setProperty(key, issuer);
                save(pins);
            }
            return issuer;
        }
        if (advertised == null || advertised.isBlank()) {
            throw CliException.invalidInput("the server names no token issuer: pass --token (or set DICOMFLOW_TOKEN) "
                    + "or --issuer");
        }
        String issuer = normalize(advertised, "the server's issuer");
        Properties pins = load();
        String pinned = pins.getProperty(key);
        if (pinned == null) {
            requireSecureTransport(issuer);
            pins.setProperty(key, issuer);
            save(pins);
            err.println("dicomflow upload: pinned token issuer " + issuer + " for server " + key + " (in " + pinFile + ")");
            err.flush();
            return issuer;
        }
        if (!pinned.equals(issuer)) {
            throw CliException.invalidInput("server " + key + " now names token issuer " + issuer + ", but " + pinned
                    + " is pinned for it (" + pinFile + "); refusing to send credentials — pass --issuer " + issuer
                    + " if the change is expected");
        }
        requireSecureTransport(issuer);
        return issuer;
    }

    /**
     * Credentials may travel only over https, or plain http to this machine. Applies to the issuer and to
     * the endpoints its metadata names.
     */
    static void requireSecureTransport(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw CliException.invalidInput("token issuer URL is not valid: " + url);
        }
        if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
            return;
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && isLoopback(uri.getHost())) {
            return;
        }
        throw CliException.invalidInput("refusing token issuer " + url
                + ": credentials are sent only over https (plain http only to this machine)");
    }

    /** localhost and loopback IP literals; other names are not resolved (DNS could say anything). */
    static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        if (!literal.matches("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*")) {
            return false;
        }
        try {
            // an IP literal: parsed, never looked up
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** scheme://host:port of the server, lower case: the pin is per server, not per path. */
    static String serverKey(URI server) {
        int port = server.getPort() != -1 ? server.getPort() : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
        return server.getScheme().toLowerCase(Locale.ROOT) + "://" + server.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Without a trailing slash, so {@code http://a/} and {@code http://a} are one issuer. */
    private static String normalize(String issuer, String what) {
        String value = issuer.strip();
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.isEmpty()) {
            throw CliException.invalidInput(what + " is empty");
        }
        return value;
    }

    private Properties load() {
        Properties pins = new Properties();
        if (Files.exists(pinFile)) {
            try (InputStream in = Files.newInputStream(pinFile)) {
                pins.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw CliException.invalidInput("cannot read the issuer pins " + pinFile + ": " + e.getMessage());
            }
        }
        return pins;
    }

    /** Written to a temporary file and moved into place, so a concurrent run never reads half a file. */
    private void save(Properties pins) {
        try {
            Path folder = pinFile.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".issuers", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                pins.store(out, "dicomflow CLI: token issuer pinned per server (delete a line to pin again)");
            }
            try {
                Files.move(temporary, pinFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, pinFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliException.invalidInput("cannot save the issuer pin in " + pinFile + ": " + e.getMessage());
        }
    }
}
