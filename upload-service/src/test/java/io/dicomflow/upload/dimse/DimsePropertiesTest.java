package io.dicomflow.upload.dimse;

import java.util.List;

import io.dicomflow.upload.dimse.DimseProperties.ClientAuth;
import io.dicomflow.upload.dimse.DimseProperties.Tls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DimsePropertiesTest {

	private static final List<String> BOTH = List.of("TLSv1.3", "TLSv1.2");

	@Test
	void tlsIsOffByDefaultAndNeedsNothingThen() {
		assertThat(Tls.disabled().enabled()).isFalse();
		assertThat(new Tls(false, "", "PKCS12", "", "", "PKCS12", "", ClientAuth.NEED, BOTH).enabled()).isFalse();
	}

	@Test
	void enabledTlsNeedsAKeystore() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Tls(true, " ", "PKCS12", "x", "", "PKCS12", "", ClientAuth.NONE, BOTH))
			.withMessageContaining("dicomflow.dimse.tls.keystore");
	}

	@Test
	void clientCertificatesNeedATruststore() {
		for (ClientAuth auth : List.of(ClientAuth.WANT, ClientAuth.NEED)) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new Tls(true, "scp.p12", "PKCS12", "x", "", "PKCS12", "", auth, BOTH))
				.withMessageContaining("dicomflow.dimse.tls.truststore");
		}
		assertThat(new Tls(true, "scp.p12", "PKCS12", "x", "", "PKCS12", "", ClientAuth.NONE, BOTH).clientAuth())
			.isEqualTo(ClientAuth.NONE);
	}

	@Test
	void onlyTls12And13AreOffered() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Tls(true, "scp.p12", "PKCS12", "x", "", "PKCS12", "", ClientAuth.NONE,
					List.of("TLSv1.3", "TLSv1.1")))
			.withMessageContaining("dicomflow.dimse.tls.protocols");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Tls(true, "scp.p12", "PKCS12", "x", "", "PKCS12", "", ClientAuth.NONE, List.of()));
		assertThat(new Tls(true, "scp.p12", "PKCS12", "x", "", "PKCS12", "", ClientAuth.NONE, List.of("TLSv1.2"))
			.protocols()).containsExactly("TLSv1.2");
	}

}
