package io.dicomflow.standalone;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the standalone product's HTTP servers listen ({@code DICOMFLOW_BIND_ADDRESS}). Loopback by default:
 * the demo accounts and their passwords are published in the README and the banner, so anyone who can reach
 * the ports could use them. The embedded PostgreSQL, broker, S3 and SMTP servers stay on 127.0.0.1 whatever
 * this says (they trust any local client); only the portal, the APIs, the WebSocket and the token issuer open.
 *
 * @param address the address the servers bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0} (every interface)
 */
public record BindAddress(InetAddress address) {

	public static final String VARIABLE = "DICOMFLOW_BIND_ADDRESS";

	public static final BindAddress LOOPBACK = new BindAddress(InetAddress.getLoopbackAddress());

	/** A literal address (no host name lookup); blank or null means loopback. */
	public static BindAddress parse(String value) {
		if (value == null || value.isBlank()) {
			return LOOPBACK;
		}
		String literal = value.trim();
		// a name would be resolved through DNS: an address that changes with it is not one to open ports on
		if (!literal.matches("[0-9.]+|\\[?[0-9a-fA-F:.]+]?")) {
			throw new IllegalArgumentException(VARIABLE + " must be an IP address (e.g. 127.0.0.1 or 0.0.0.0), not "
					+ literal);
		}
		try {
			return new BindAddress(InetAddress.getByName(literal.replace("[", "").replace("]", "")));
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(VARIABLE + " is not an IP address: " + literal, ex);
		}
	}

	/** The value of Spring Boot's {@code server.address}. */
	public String serverAddress() {
		return this.address.getHostAddress();
	}

	/**
	 * The host to put in URLs of these servers: the address itself, or 127.0.0.1 for a wildcard (which is not
	 * an address one can connect to).
	 */
	public String urlHost() {
		if (this.address.isAnyLocalAddress()) {
			return "127.0.0.1";
		}
		return (this.address instanceof Inet6Address) ? "[" + this.address.getHostAddress() + "]"
				: this.address.getHostAddress();
	}

	/** For the banner: where the servers can be reached from. */
	public String describe() {
		if (this.address.isLoopbackAddress()) {
			return serverAddress() + " only (this machine; set " + VARIABLE + "=0.0.0.0 to open to the network)";
		}
		String where = this.address.isAnyLocalAddress() ? "every interface" : "the network";
		return serverAddress() + " (" + where + ": anyone who reaches this machine can sign in with the demo "
				+ "accounts below)";
	}

}
