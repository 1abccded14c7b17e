package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-parse table of repeated strings and timestamps: a cache, never a change. */
class SeenValuesTests {

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	@Test
	void theSameBytesGiveTheSameStringAndOtherBytesTheirOwn() {
		SeenValues seen = new SeenValues();
		byte[] line = ascii("xx kubelet/v1.30.4 yy kubelet/v1.30.4 zz");
		String first = seen.get(line, 3, 18);
		assertThat(first).isEqualTo("kubelet/v1.30.4");
		assertThat(seen.get(line, 22, 37)).isSameAs(first);
		assertThat(seen.get(line, 3, 17)).isEqualTo("kubelet/v1.30.");
		assertThat(seen.get(line, 0, 0)).isEmpty();
	}

	@Test
	void aFloodOfDistinctValuesStillGivesEachItsOwnText() {
		SeenValues seen = new SeenValues();
		for (int i = 0; i < 50_000; i++) {
			String text = "agent-" + i;
			assertThat(seen.get(ascii(text), 0, text.length())).isEqualTo(text);
		}
		String longText = "u".repeat(10_000);
		assertThat(seen.get(ascii(longText), 0, longText.length())).isEqualTo(longText);
	}

	@Test
	void timestampsAreReadOnceAndBadOnesAreNull() {
		SeenValues seen = new SeenValues();
		byte[] a = ascii("2026-11-22T10:00:00.000001Z");
		byte[] b = ascii("2026-11-22T10:00:00.5Z");
		Instant first = seen.timestamp(a, 0, a.length);
		assertThat(first).isEqualTo(Instant.parse("2026-11-22T10:00:00.000001Z"));
		assertThat(seen.timestamp(b, 0, b.length)).isEqualTo(Instant.parse("2026-11-22T10:00:00.5Z"));
		assertThat(seen.timestamp(a, 0, a.length)).isSameAs(first);
		byte[] bad = ascii("2026-02-30T10:00:00Z");
		assertThat(seen.timestamp(bad, 0, bad.length)).isNull();
	}

}
