package io.dicomflow.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.dicomflow.common.dicom.net.MinimalScu;
import io.dicomflow.common.dicom.net.MinimalScu.Part10;
import io.dicomflow.common.dicom.net.MinimalScu.Proposal;
import io.dicomflow.upload.backpressure.BackpressureGate;
import io.dicomflow.upload.dimse.DimseProperties;
import io.dicomflow.upload.dimse.DimseProperties.ClientAuth;
import io.dicomflow.upload.dimse.StorageScp;
import io.dicomflow.upload.upload.UploadIngest;
import io.dicomflow.upload.upload.UploadProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Storage SCP with the DICOM TLS transport (PS3.15 Annex B): an SCP of the running product's upload service
 * (its real ingest) listening with TLS, driven by {@link MinimalScu} over TLS sockets. The keys are made at test
 * time with the JDK's {@code keytool} (an SCP key, a modality key, each side trusting the other's certificate),
 * so no key material is committed.
 */
class DimseTlsIT {

	private static final String PASSWORD = "changeit";

	private static final List<Proposal> VERIFICATION = List
		.of(new Proposal(1, MinimalScu.VERIFICATION, List.of(MinimalScu.IMPLICIT_LE)));

	@TempDir
	static Path keys;

	private static Pipeline pipeline;

	@BeforeAll
	static void makeKeys() throws Exception {
		pipeline = Pipeline.get();
		keytool("-genkeypair", "-alias", "scp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=dicomflow-scp", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", "scp.p12");
		keytool("-genkeypair", "-alias", "modality", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=modality", "-validity", "2", "-keystore", "modality.p12");
		keytool("-exportcert", "-alias", "scp", "-rfc", "-file", "scp.crt", "-keystore", "scp.p12");
		keytool("-exportcert", "-alias", "modality", "-rfc", "-file", "modality.crt", "-keystore", "modality.p12");
		// the SCP trusts the modality's certificate, the modality the SCP's
		keytool("-importcert", "-noprompt", "-alias", "modality", "-file", "modality.crt", "-keystore",
				"scp-trust.p12");
		keytool("-importcert", "-noprompt", "-alias", "scp", "-file", "scp.crt", "-keystore", "modality-trust.p12");
	}

	private static void keytool(String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
		Process process = new ProcessBuilder(command).directory(keys.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
	}

	/** An SCP of the product's upload service with TLS as given, on a free port of 127.0.0.1. */
	private static StorageScp scp(ClientAuth clientAuth) {
		DimseProperties.Tls tls = new DimseProperties.Tls(true, keys.resolve("scp.p12").toString(), "PKCS12",
				PASSWORD, keys.resolve("scp-trust.p12").toString(), "PKCS12", PASSWORD, clientAuth,
				List.of("TLSv1.3", "TLSv1.2"));
		DimseProperties config = new DimseProperties(true, DemoUsers.SCP_AE_TITLE, 0, "127.0.0.1", 65_536,
				Duration.ofSeconds(5), Duration.ofMinutes(1), 4, 4, List.of(DemoUsers.SCU_AE_TITLE + "=alice"), tls);
		ConfigurableApplicationContext upload = pipeline.services.upload();
		StorageScp scp = new StorageScp(config, upload.getBean(UploadIngest.class),
				upload.getBean(UploadProperties.class), upload.getBean(BackpressureGate.class));
		scp.start();
		return scp;
	}

	/** A TLS client trusting the SCP's certificate, presenting the modality's when {@code withCertificate}. */
	private static SocketFactory client(boolean withCertificate) throws Exception {
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store("modality-trust.p12"));
		KeyManagerFactory key = null;
		if (withCertificate) {
			key = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			key.init(store("modality.p12"), PASSWORD.toCharArray());
		}
		SSLContext context = SSLContext.getInstance("TLSv1.3");
		context.init((key != null) ? key.getKeyManagers() : null, trust.getTrustManagers(), null);
		return context.getSocketFactory();
	}

	private static KeyStore store(String name) throws Exception {
		try (InputStream in = Files.newInputStream(keys.resolve(name))) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			return store;
		}
	}

	private static void echo(SocketFactory sockets, int port) throws Exception {
		try (MinimalScu scu = new MinimalScu(sockets, "127.0.0.1", port)) {
			MinimalScu.Answer answer = scu.associate(DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE, VERIFICATION,
					16_384);
			assertThat(answer.accepted()).containsEntry(1, MinimalScu.IMPLICIT_LE);
			assertThat(scu.echo(1).status()).isZero();
			assertThat(scu.release()).isTrue();
		}
	}

	@Test
	void echoAndStoreOverMutuallyAuthenticatedTls() throws Exception {
		StorageScp scp = scp(ClientAuth.NEED);
		try {
			echo(client(true), scp.localPort());
			Part10 instance = Part10.of(Dicomweb.fresh("pydicom-MR_small.dcm").bytes());
			try (MinimalScu scu = new MinimalScu(client(true), "127.0.0.1", scp.localPort())) {
				MinimalScu.Answer answer = scu.associate(DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE,
						List.of(new Proposal(1, instance.sopClass(), List.of(MinimalScu.EXPLICIT_LE))), 16_384);
				assertThat(answer.accepted()).containsOnlyKeys(1);
				// PDVs smaller than the dataset: many TLS records, many PDUs
				assertThat(scu.store(1, instance.sopClass(), instance.sopInstance(), instance.dataset(), 3000)
					.status()).isZero();
				assertThat(scu.release()).isTrue();
			}
			assertThat(pipeline.uploadHolding("alice", instance.sopInstance())).as("stored as alice's upload")
				.isNotNull();
		}
		finally {
			scp.stop();
		}
	}

	@Test
	void plainDicomClientIsRefusedAndTlsClientsAreStillServed() throws Exception {
		StorageScp scp = scp(ClientAuth.NONE);
		try {
			assertThatThrownBy(() -> {
				try (MinimalScu plain = new MinimalScu("127.0.0.1", scp.localPort())) {
					plain.associate(DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE, VERIFICATION, 16_384);
				}
			}).as("an A-ASSOCIATE-RQ in the clear is not a TLS ClientHello").isInstanceOf(IOException.class);
			// without client authentication, a client without a certificate is served
			echo(client(false), scp.localPort());
		}
		finally {
			scp.stop();
		}
	}

	@Test
	void clientWithoutCertificateFailsWhenOneIsNeeded() throws Exception {
		StorageScp scp = scp(ClientAuth.NEED);
		try {
			// with TLS 1.3 the client learns of the refusal at its first read, so handshake and association together
			assertThatThrownBy(() -> {
				try (MinimalScu anonymous = new MinimalScu(client(false), "127.0.0.1", scp.localPort())) {
					anonymous.associate(DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE, VERIFICATION, 16_384);
				}
			}).isInstanceOf(IOException.class);
			echo(client(true), scp.localPort());
		}
		finally {
			scp.stop();
		}
	}

}
