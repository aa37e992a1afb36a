package io.dicomflow.standalone;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo accounts of standalone mode, known to its embedded authorization server. They exist only here:
 * the services ship no users, and a real deployment points them at its own identity provider.
 */
public final class DemoUsers {

	/**
	 * @param name user id (the token subject)
	 * @param password demo password, also the secret of the user's personal API client
	 * @param email notification address (delivered to the embedded SMTP server)
	 * @param role {@code uploader}, {@code user} or {@code admin}
	 */
	public record Demo(String name, String password, String email, String role) {
	}

	public static final List<Demo> ALL = List.of(new Demo("alice", "alice-demo", "alice@dicomflow.test", "user"),
			new Demo("bob", "bob-demo", "bob@dicomflow.test", "user"),
			new Demo("admin", "admin-demo", "admin@dicomflow.test", "admin"),
			new Demo("modality", "modality-demo", "modality@dicomflow.test", "uploader"));

	/** The calling AE title that sends to the Storage SCP as alice. */
	public static final String SCU_AE_TITLE = "DICOMFLOW_SCU";

	/** The Storage SCP's AE title in standalone mode. */
	public static final String SCP_AE_TITLE = "DICOMFLOW";

	private DemoUsers() {
	}

	public static Demo named(String name) {
		return ALL.stream()
			.filter((u) -> u.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no demo user " + name));
	}

	/** The accounts' notification addresses as {@code dicomflow.identity.users.*} properties. */
	public static Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (Demo user : ALL) {
			properties.put("dicomflow.identity.users." + user.name() + ".email", user.email());
		}
		return properties;
	}

	/**
	 * The Storage SCP of standalone mode: on a free port of {@code bindAddress}, {@value #SCU_AE_TITLE} sending as
	 * alice.
	 */
	public static Map<String, Object> dimseProperties(String bindAddress) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("dicomflow.dimse.enabled", true);
		properties.put("dicomflow.dimse.ae-title", SCP_AE_TITLE);
		properties.put("dicomflow.dimse.port", 0);
		properties.put("dicomflow.dimse.bind-address", bindAddress);
		properties.put("dicomflow.dimse.callers", SCU_AE_TITLE + "=alice");
		return properties;
	}

}
