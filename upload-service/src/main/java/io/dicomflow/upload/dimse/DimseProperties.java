package io.dicomflow.upload.dimse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Storage SCP ({@code dicomflow.dimse}).
 *
 * @param enabled whether the SCP listens
 * @param aeTitle this SCP's AE title; an association calling another is rejected
 * @param port TCP port ({@code 0}: a free one)
 * @param bindAddress the address the port is bound to
 * @param maxPduLength the Maximum Length Received announced to peers: larger P-DATA-TF PDUs abort the association
 * @param artimTimeout how long a new connection may take to send its A-ASSOCIATE-RQ (PS3.8 9.1.5, ARTIM)
 * @param idleTimeout how long an association may stay silent before it is aborted
 * @param maxAssociations most associations at once, over all callers (more are rejected, transient)
 * @param maxAssociationsPerAe most associations at once from one calling AE title
 * @param callers the known calling AE titles and the user each uploads as, {@code AE=user} entries
 * (comma-separated in an environment variable); any other calling AE is rejected
 * @param tls the optional TLS transport (PS3.15 Annex B), off by default
 */
@Validated
@ConfigurationProperties("dicomflow.dimse")
public record DimseProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("DICOMFLOW") @NotNull @Pattern(regexp = AE_TITLE) String aeTitle,
		@DefaultValue("11112") @Min(0) @Max(65535) int port, @DefaultValue("0.0.0.0") @NotBlank String bindAddress,
		@DefaultValue("65536") @Min(4096) @Max(16_777_216) int maxPduLength,
		@DefaultValue("30s") @NotNull Duration artimTimeout, @DefaultValue("5m") @NotNull Duration idleTimeout,
		@DefaultValue("32") @Min(1) @Max(1024) int maxAssociations,
		@DefaultValue("8") @Min(1) @Max(1024) int maxAssociationsPerAe, @DefaultValue("") @NotNull List<String> callers,
		@DefaultValue @Valid @NotNull Tls tls) {

	/** PS3.5 AE VR: 1 to 16 characters of the default repertoire, no backslash or control characters. */
	static final String AE_TITLE = "[\\x20-\\x5B\\x5D-\\x7E]{0,15}[\\x21-\\x5B\\x5D-\\x7E]";

	public DimseProperties {
		owners(callers);
		if (artimTimeout != null && (artimTimeout.isNegative() || artimTimeout.isZero())) {
			throw new IllegalArgumentException("dicomflow.dimse.artim-timeout must be positive");
		}
		if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
			throw new IllegalArgumentException("dicomflow.dimse.idle-timeout must be positive");
		}
	}

	/** Who may ask a TLS peer for its certificate. */
	public enum ClientAuth {

		/** The SCP does not ask for a client certificate. */
		NONE,
		/** The SCP asks; a client without one is accepted, one with an untrusted one is not. */
		WANT,
		/** The SCP requires a certificate the truststore trusts: mutual authentication. */
		NEED

	}

	/**
	 * The DICOM TLS transport (PS3.15 Annex B, Basic TLS Secure Transport Connection Profile, with the BCP 195
	 * protocol versions): when enabled the SCP accepts only TLS connections, with its certificate from
	 * {@code keystore}; the rest of the protocol is unchanged.
	 *
	 * @param enabled whether the SCP speaks TLS (then it speaks nothing else on its port)
	 * @param keystore path of the keystore holding the SCP's private key and certificate chain
	 * @param keystoreType {@code PKCS12} or {@code JKS}
	 * @param keystorePassword password of the keystore and of its key
	 * @param truststore path of the keystore of trusted CA/client certificates that verify a client's certificate;
	 * required when {@code client-auth} is {@code want} or {@code need}, unused otherwise
	 * @param truststoreType {@code PKCS12} or {@code JKS}
	 * @param truststorePassword password of the truststore
	 * @param clientAuth whether a client certificate is asked for ({@code none}, {@code want}, {@code need})
	 * @param protocols the TLS versions offered, of {@code TLSv1.2} and {@code TLSv1.3}
	 */
	public record Tls(@DefaultValue("false") boolean enabled, @DefaultValue("") @NotNull String keystore,
			@DefaultValue("PKCS12") @NotNull @Pattern(regexp = STORE_TYPE) String keystoreType,
			@DefaultValue("") @NotNull String keystorePassword, @DefaultValue("") @NotNull String truststore,
			@DefaultValue("PKCS12") @NotNull @Pattern(regexp = STORE_TYPE) String truststoreType,
			@DefaultValue("") @NotNull String truststorePassword, @DefaultValue("none") @NotNull ClientAuth clientAuth,
			@DefaultValue({ "TLSv1.3", "TLSv1.2" }) @NotNull List<String> protocols) {

		static final String STORE_TYPE = "(?i)PKCS12|JKS";

		/** What PS3.15 (via BCP 195) admits: older versions are broken. */
		static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

		public Tls {
			if (protocols != null) {
				if (protocols.isEmpty() || !PROTOCOLS.containsAll(protocols)) {
					throw new IllegalArgumentException(
							"dicomflow.dimse.tls.protocols: " + protocols + " must be one or both of " + PROTOCOLS);
				}
				protocols = List.copyOf(protocols);
			}
			if (enabled && (keystore == null || keystore.isBlank())) {
				throw new IllegalArgumentException("dicomflow.dimse.tls.keystore is required when TLS is enabled");
			}
			if (enabled && clientAuth != null && clientAuth != ClientAuth.NONE
					&& (truststore == null || truststore.isBlank())) {
				throw new IllegalArgumentException(
						"dicomflow.dimse.tls.truststore is required when client-auth is " + clientAuth
								+ ": the client certificates are verified against it");
			}
		}

		/** TLS off. */
		public static Tls disabled() {
			return new Tls(false, "", "PKCS12", "", "", "PKCS12", "", ClientAuth.NONE, PROTOCOLS);
		}

	}

	/** The calling AE titles (trailing/leading spaces are not significant, PS3.5 AE) and their users. */
	public Map<String, String> owners() {
		return owners(this.callers);
	}

	private static Map<String, String> owners(List<String> callers) {
		Map<String, String> owners = new LinkedHashMap<>();
		if (callers == null) {
			return owners;
		}
		for (String entry : callers) {
			if (entry == null || entry.isBlank()) {
				continue;
			}
			int eq = entry.indexOf('=');
			String ae = (eq > 0) ? entry.substring(0, eq).strip() : "";
			String user = (eq > 0) ? entry.substring(eq + 1).strip() : "";
			if (!ae.matches(AE_TITLE) || user.isEmpty()) {
				throw new IllegalArgumentException(
						"dicomflow.dimse.callers: '" + entry + "' is not AE=user with an AE title of 1 to 16 characters");
			}
			if (owners.putIfAbsent(ae, user) != null) {
				throw new IllegalArgumentException("dicomflow.dimse.callers: calling AE " + ae + " is listed twice");
			}
		}
		return Map.copyOf(owners);
	}

}
