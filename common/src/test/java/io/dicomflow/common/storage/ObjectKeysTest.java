package io.dicomflow.common.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ObjectKeysTest {

	@Test
	void anInstanceKeyLivesInItsOwnersKeySpace() {
		String key = ObjectKeys.instanceKey("default", "alice", "1.2.3", "1.2.3.4", "1.2.3.4.5");

		String expectedOwner = HexFormat.of()
			.formatHex(sha256("alice".getBytes(StandardCharsets.UTF_8)))
			.substring(0, 32);
		assertThat(key).isEqualTo("default/owners/" + expectedOwner + "/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5");
	}

	@Test
	void twoOwnersNeverShareAKeyForTheSameUids() {
		String alice = ObjectKeys.instanceKey("default", "alice", "1.2", "1.2.3", "1.2.3.4");
		String bob = ObjectKeys.instanceKey("default", "bob", "1.2", "1.2.3", "1.2.3.4");

		assertThat(alice).isNotEqualTo(bob);
		assertThat(ObjectKeys.instanceKey("default", "alice", "1.2", "1.2.3", "1.2.3.4")).as("stable").isEqualTo(alice);
	}

	@Test
	void theOwnerSegmentIsOpaqueAndKeySafeWhateverTheOwnerId() {
		for (String owner : new String[] { "alice", "../../etc", "a/b/c", "user@example.org", "Ünïcødé ✓", "x" }) {
			String segment = ObjectKeys.ownerKey(owner);
			assertThat(segment).as(owner).matches("[0-9a-f]{32}");
			assertThat(ObjectKeys.instanceKey("t1", owner, "1", "2", "3")).as(owner)
				.doesNotContain(owner)
				.matches("t1/owners/[0-9a-f]{32}/studies/1/series/2/instances/3");
		}
		assertThat(ObjectKeys.ownerKey("alice")).isNotEqualTo(ObjectKeys.ownerKey("Alice"));
	}

	@Test
	void hostileUidsTenantsAndOwnersAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.instanceKey("default", "alice", "../../x", "1", "2"))
			.withMessageContaining("StudyInstanceUID");
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.instanceKey("default", "alice", "1", "1", "01"))
			.withMessageContaining("SOPInstanceUID");
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.instanceKey("De/fault", "alice", "1", "1", "1"));
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.instanceKey("default", "", "1", "1", "1"));
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.instanceKey("default", null, "1", "1", "1"));
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
