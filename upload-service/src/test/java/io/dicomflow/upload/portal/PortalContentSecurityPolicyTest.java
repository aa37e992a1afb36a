package io.dicomflow.upload.portal;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class PortalContentSecurityPolicyTest {

	@Test
	void thePageMayReachTheWebSocketTheWorkerAndTheIssuerAndNothingElse() {
		String policy = new PortalContentSecurityPolicy(new PortalProperties("wss://push.example.org:8443/ws",
				"https://id.example.org/realms/dicomflow", "dicomflow-portal", "https://worker.example.org/",
				DataSize.ofMegabytes(8)))
			.policy();
		assertThat(policy).contains("script-src 'self';")
			.contains("style-src 'self';")
			.contains("connect-src 'self' wss://push.example.org:8443 https://worker.example.org https://id.example.org;")
			.contains("frame-src 'self' https://id.example.org;")
			.contains("frame-ancestors 'self';")
			.contains("object-src 'none'")
			.doesNotContain("unsafe-inline")
			.doesNotContain("/realms");
	}

	@Test
	void unsetOrUnparsableAddressesAddNothing() {
		String policy = new PortalContentSecurityPolicy(
				new PortalProperties("", "not a url", "dicomflow-portal", "", DataSize.ofMegabytes(8)))
			.policy();
		assertThat(policy).contains("connect-src 'self';").contains("frame-src 'self';");
	}

}
