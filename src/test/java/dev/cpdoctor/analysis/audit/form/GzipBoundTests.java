package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.audit.AuditEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * gzip's bound: a bomb ends reading with {@link ExpandedTooLarge} after a few MiB, never
 * expanded anywhere; a real log past the caller's size ends the same way with the events
 * before it kept; a bomb inside a Firehose record too; a damaged or cut gzip is a counted
 * problem that keeps the events before it.
 */
class GzipBoundTests {

	private static final FormLimits LIMITS = FormLimits.of(1024 * 1024, 1L << 40);

	/** Counts the bytes read from the stream under it. */
	static final class Counting extends FilterInputStream {

		long read;

		Counting(InputStream in) {
			super(in);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = super.read(b, off, len);
			this.read += Math.max(n, 0);
			return n;
		}

	}

	/** A member repeated: gzip streams of several members read as one (RFC 1952). */
	static InputStream repeated(byte[] member, int times) {
		return new InputStream() {

			private int left = times;

			private int at = member.length;

			@Override
			public int read(byte[] b, int off, int len) {
				if (this.at == member.length) {
					if (this.left-- == 0) {
						return -1;
					}
					this.at = 0;
				}
				int n = Math.min(len, member.length - this.at);
				System.arraycopy(member, this.at, b, off, n);
				this.at += n;
				return n;
			}

			@Override
			public int read() {
				byte[] one = new byte[1];
				return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
			}

		};
	}

	@Test
	void aTenGigabyteBombEndsAfterAFewMegabytesRead() throws IOException {
		byte[] member = FormFixtures.gzipOfZeros(16L * 1024 * 1024);
		int times = 640; // 640 x 16 MiB = 10 GiB expanded
		Counting in = new Counting(repeated(member, times));
		ExpandedTooLarge thrown = catchThrowableOfType(ExpandedTooLarge.class,
				() -> new AuditForms(LIMITS).read(in, (e) -> {
				}));
		assertThat(thrown).hasMessageContaining("more than 200 times its compressed size")
			.hasMessageContaining("gzip bomb");
		assertThat((long) member.length * times).as("the bomb compressed").isGreaterThan(10_000_000L);
		assertThat(in.read).as("compressed bytes read before it ended").isLessThan(2L * 1024 * 1024);
		assertThat(thrown.readSoFar().forms()).startsWith(AuditForm.GZIP);
		assertThat(thrown.readSoFar().report().events()).isZero();
	}

	@Test
	void aRealLogPastTheCallersSizeEndsWithTheEventsBeforeItKept() throws IOException {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < 20_000; i++) {
			lines.append(AuditFormsStreamingTests.event(i)).append('\n');
		}
		byte[] log = lines.toString().getBytes(StandardCharsets.UTF_8);
		long cap = 3L * 1024 * 1024;
		assertThat(log.length).isGreaterThan((int) (2 * cap));
		List<AuditEvent> events = new ArrayList<>();
		ExpandedTooLarge thrown = catchThrowableOfType(ExpandedTooLarge.class,
				() -> new AuditForms(FormLimits.of(1024 * 1024, cap))
					.read(new ByteArrayInputStream(FormFixtures.gzip(log)), events::add));
		assertThat(thrown).hasMessageContaining("past 3 MiB");
		assertThat(events).isNotEmpty().hasSizeLessThan(20_000);
		assertThat(thrown.readSoFar().report().events()).isEqualTo(events.size());
		assertThat(events.get(events.size() - 1).auditId()).isEqualTo("gen-" + (events.size() - 1));
	}

	@Test
	void aBombInsideAFirehoseRecordEndsReadingToo() throws IOException {
		String record = Base64.getEncoder().encodeToString(FormFixtures.gzipOfZeros(64L * 1024 * 1024));
		String body = "{\"requestId\":\"r-1\",\"timestamp\":1795345204000,\"records\":[{\"data\":\"" + record + "\"}]}";
		ExpandedTooLarge thrown = catchThrowableOfType(ExpandedTooLarge.class,
				() -> new AuditForms(LIMITS).read(body.getBytes(StandardCharsets.US_ASCII), (e) -> {
				}));
		assertThat(thrown).isNotNull();
		assertThat(thrown.readSoFar().forms()).containsExactly(AuditForm.FIREHOSE, AuditForm.GZIP);
	}

	@Test
	void gzipInsideGzipIsReadAndBounded() throws IOException {
		byte[] twice = FormFixtures.gzip(FormFixtures.gzip(FormFixtures.bytes("events-v1.jsonl")));
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(LIMITS).read(new ByteArrayInputStream(twice), events::add);
		assertThat(events).hasSize(3);
		assertThat(read.forms()).containsExactly(AuditForm.GZIP, AuditForm.EVENT_LINES);
		assertThat(catchThrowableOfType(ExpandedTooLarge.class, () -> new AuditForms(LIMITS)
			.read(new ByteArrayInputStream(FormFixtures.gzip(FormFixtures.gzipOfZeros(64L * 1024 * 1024))), (e) -> {
			}))).isNotNull();
	}

	@Test
	void aGzipCutShortIsOneProblemAndTheEventsBeforeTheCutCount() throws IOException {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < 5_000; i++) {
			lines.append(AuditFormsStreamingTests.event(i)).append('\n');
		}
		byte[] gzip = FormFixtures.gzip(lines.toString().getBytes(StandardCharsets.UTF_8));
		byte[] cut = Arrays.copyOf(gzip, gzip.length / 2);
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(LIMITS).read(new ByteArrayInputStream(cut), events::add);
		assertThat(read.report().problems()).containsKey("gzip damaged or cut short (reading stopped there)");
		assertThat(events).hasSizeBetween(1000, 4999);
		assertThat(events).extracting(AuditEvent::auditId).startsWith("gen-0", "gen-1");
	}

}
