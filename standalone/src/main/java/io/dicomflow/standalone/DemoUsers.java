package io.dicomflow.standalone;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo accounts of standalone mode. They exist only here: the services themselves ship no users, and a
 * real deployment configures its own (see the README's configuration table).
 */
public final class DemoUsers {

	/**
	 * @param name user name
	 * @param password clear-text demo password
	 * @param email notification address (delivered to the embedded SMTP server)
	 * @param role user role
	 */
	public record Demo(String name, String password, String email, String role) {
	}

	public static final List<Demo> ALL = List.of(new Demo("alice", "alice-demo", "alice@dicomflow.test", "user"),
			new Demo("bob", "bob-demo", "bob@dicomflow.test", "user"),
			new Demo("admin", "admin-demo", "admin@dicomflow.test", "admin"));

	private DemoUsers() {
	}

	/** The accounts as {@code dicomflow.identity.users.*} properties. */
	public static Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (Demo user : ALL) {
			String prefix = "dicomflow.identity.users." + user.name() + ".";
			properties.put(prefix + "password", "{noop}" + user.password());
			properties.put(prefix + "email", user.email());
			properties.put(prefix + "roles", user.role());
		}
		return properties;
	}

}
