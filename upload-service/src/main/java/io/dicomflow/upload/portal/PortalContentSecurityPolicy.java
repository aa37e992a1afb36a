package io.dicomflow.upload.portal;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * The Content-Security-Policy of the upload service's responses. The portal page loads only its own files (no
 * inline script or style, so an injected {@code <script>} or {@code style=} does nothing), talks to this service,
 * the notification WebSocket, the issuer and the worker, frames only itself and the issuer (the hidden frame of a
 * silent token renewal) and may be framed only by itself.
 */
@Component
public class PortalContentSecurityPolicy {

	private final String policy;

	PortalContentSecurityPolicy(PortalProperties properties) {
		Set<String> connect = new LinkedHashSet<>();
		connect.add("'self'");
		Set<String> frames = new LinkedHashSet<>();
		frames.add("'self'");
		Set<String> forms = new LinkedHashSet<>();
		forms.add("'self'");
		origin(properties.notificationsUrl()).ifPresent(connect::add);
		origin(properties.workerUrl()).ifPresent(connect::add);
		origin(properties.issuer()).ifPresent((issuer) -> {
			connect.add(issuer);
			frames.add(issuer);
			forms.add(issuer);
		});
		// blob: — the result page shows the thumbnail it fetched with the bearer token as a blob URL (an <img> src
		// cannot carry the Authorization header)
		this.policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src "
				+ String.join(" ", connect) + "; frame-src " + String.join(" ", frames) + "; frame-ancestors 'self'; "
				+ "form-action " + String.join(" ", forms) + "; base-uri 'self'; object-src 'none'";
	}

	/** The header's value. */
	public String policy() {
		return this.policy;
	}

	/** {@code scheme://host[:port]} of a configured URL; nothing for an empty or unparsable one. */
	static java.util.Optional<String> origin(String url) {
		if (url == null || url.isBlank()) {
			return java.util.Optional.empty();
		}
		try {
			URI uri = URI.create(url.trim());
			if (uri.getScheme() == null || uri.getHost() == null) {
				return java.util.Optional.empty();
			}
			return java.util.Optional
				.of(uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() == -1) ? "" : ":" + uri.getPort()));
		}
		catch (IllegalArgumentException ex) {
			return java.util.Optional.empty();
		}
	}

}
