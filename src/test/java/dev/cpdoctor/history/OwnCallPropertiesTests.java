package dev.cpdoctor.history;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OwnCallPropertiesTests {

	private static OwnCallProperties readLimit(int limit) {
		return new OwnCallProperties(Duration.ofDays(30), Duration.ofSeconds(2), 500, 10_000, limit);
	}

	@Test
	void theReadLimitIsBoundedOnBothSides() {
		assertThat(readLimit(1).readLimit()).isEqualTo(1);
		assertThat(readLimit(OwnCallProperties.MAX_READ_LIMIT).readLimit()).isEqualTo(1_000_000);
		assertThatIllegalArgumentException().isThrownBy(() -> readLimit(0)).withMessageContaining("read-limit");
		// Integer.MAX_VALUE would overflow the store's "limit + 1" (one more row says the
		// window was cut).
		assertThatIllegalArgumentException().isThrownBy(() -> readLimit(Integer.MAX_VALUE))
			.withMessageContaining("between 1 and 1000000");
	}

}
