package io.dicomflow.upload.replica;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LsnTest {

	@Test
	void parsesBothHalvesAsHex() {
		assertThat(Lsn.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
		assertThat(Lsn.parse("0/0")).isZero();
	}

	@Test
	void ordersByTheHighHalfFirst() {
		assertThat(Lsn.parse("0/FFFFFFFF")).isLessThan(Lsn.parse("1/0"));
		assertThat(Lsn.parse("1/A")).isLessThan(Lsn.parse("1/B"));
	}

	@Test
	void formatsBackToPostgresText() {
		assertThat(Lsn.format(Lsn.parse("16/B374D848"))).isEqualTo("16/B374D848");
	}

	@Test
	void refusesWhatIsNotAnLsn() {
		assertThatIllegalArgumentException().isThrownBy(() -> Lsn.parse("12345"));
	}

}
