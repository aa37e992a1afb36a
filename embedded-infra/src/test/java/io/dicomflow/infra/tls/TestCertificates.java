package io.dicomflow.infra.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away TLS material generated at test time: a CA and server certificates it signs, written as the PEM files
 * PostgreSQL wants ({@code server.crt}, {@code server.key} mode 0600), the PEM CA file clients trust
 * ({@code sslrootcert}, Spring's PEM SSL bundle) and the PKCS#12 key store a Java server (Qpid Broker-J) loads.
 *
 * <p>BouncyCastle's bcpkix is on the classpath already (Qpid Broker-J depends on it); it signs in-process, in
 * milliseconds, where seven {@code keytool} JVMs per certificate would cost seconds on a loaded machine. Nothing is
 * committed: keys never outlive the test's temporary directory.
 */
public final class TestCertificates {

    /** Password of every PKCS#12 store written here; the stores live in a test's temporary directory only. */
    public static final String STORE_PASSWORD = "changeit";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X500Name caName;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private TestCertificates(String caCommonName) {
        try {
            this.caName = new X500Name("CN=" + caCommonName + ",O=dicomflow tests");
            this.caKeys = rsa();
            X509v3CertificateBuilder builder = builder(caName, caName, caKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            this.caCertificate = sign(builder, caKeys.getPrivate());
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("test CA not created", e);
        }
    }

    /** A new certificate authority (its own key pair); two calls give CAs that do not trust each other. */
    public static TestCertificates newAuthority(String commonName) {
        return new TestCertificates(commonName);
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Writes the CA certificate as PEM (what {@code sslrootcert} and a PEM trust bundle take). */
    public Path writeCaPem(Path file) {
        return writeString(file, pem("CERTIFICATE", encoded(caCertificate)));
    }

    /**
     * Issues a TLS server certificate signed by this CA.
     *
     * @param subjectAltNames {@code dns:NAME} or {@code ip:ADDRESS} entries: the only names clients verifying the
     *                        host name will accept (the CN is ignored by them)
     */
    public Server issueServer(String commonName, List<String> subjectAltNames) {
        try {
            KeyPair keys = rsa();
            GeneralName[] names = subjectAltNames.stream().map(TestCertificates::generalName)
                    .toArray(GeneralName[]::new);
            X509v3CertificateBuilder builder = builder(caName, new X500Name("CN=" + commonName), keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return new Server(sign(builder, caKeys.getPrivate()), keys.getPrivate(), caCertificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("test server certificate not issued", e);
        }
    }

    /** A server's certificate and private key, and the CA certificate that signed it. */
    public record Server(X509Certificate certificate, PrivateKey privateKey, X509Certificate ca) {

        /** PEM certificate (PostgreSQL's {@code ssl_cert_file}). */
        public Path writeCertificatePem(Path file) {
            return writeString(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /**
         * PEM PKCS#8 private key (PostgreSQL's {@code ssl_key_file}), mode 0600: PostgreSQL refuses a key file
         * others may read.
         */
        public Path writePrivateKeyPem(Path file) {
            writeString(file, pem("PRIVATE KEY", privateKey.getEncoded()));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }

        /** PKCS#12 key store with the key and the chain (server, CA) under alias {@code server}. */
        public Path writePkcs12(Path file) {
            try (OutputStream out = Files.newOutputStream(file)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", privateKey, STORE_PASSWORD.toCharArray(),
                        new Certificate[] {certificate, ca});
                store.store(out, STORE_PASSWORD.toCharArray());
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static GeneralName generalName(String entry) {
        if (entry.startsWith("dns:")) {
            return new GeneralName(GeneralName.dNSName, entry.substring(4));
        }
        if (entry.startsWith("ip:")) {
            return new GeneralName(GeneralName.iPAddress, entry.substring(3));
        }
        throw new IllegalArgumentException("subject alternative name must be dns:... or ip:..., not " + entry);
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path writeString(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
