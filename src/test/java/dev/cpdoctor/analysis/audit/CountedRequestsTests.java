package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.audit.CountedRequests.State;

import static org.assertj.core.api.Assertions.assertThat;

class CountedRequestsTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	/** A store the test fills as a committed batch would, counting its reads. */
	private final Map<Instant, long[]> stored = new HashMap<>();

	private int reads;

	private final CountedRequests.Stored store = (minute) -> {
		this.reads++;
		return this.stored.getOrDefault(minute, new long[0]);
	};

	private void commit(CountedRequests counted, RequestKey key, boolean timed) {
		Instant minute = CountedRequests.minuteOf(key);
		long[] before = this.stored.getOrDefault(minute, new long[0]);
		long[] after = Arrays.copyOf(before, before.length + 1);
		after[before.length] = CountedRequests.code(key, timed);
		this.stored.put(minute, after);
		counted.add(Map.of(minute, new long[] { CountedRequests.code(key, timed) }));
	}

	@Test
	void aRequestIsNewThenCountedThenTimedAndTimedStaysTimed() {
		CountedRequests counted = new CountedRequests(CountedRequests.Limits.live(), this.store);
		RequestKey key = new RequestKey("a", T0.plusMillis(1500));
		assertThat(counted.state(key, T0)).isEqualTo(State.NEW);
		commit(counted, key, false);
		assertThat(counted.state(key, T0)).isEqualTo(State.COUNTED);
		commit(counted, key, true);
		assertThat(counted.state(key, T0)).isEqualTo(State.TIMED);
		commit(counted, key, false);
		assertThat(counted.state(key, T0)).isEqualTo(State.TIMED);
	}

	@Test
	void theSameAuditIdReceivedAtAnotherInstantIsAnotherRequest() {
		CountedRequests counted = new CountedRequests(CountedRequests.Limits.live(), this.store);
		commit(counted, new RequestKey("shared-header", T0.plusNanos(1000)), true);
		assertThat(counted.state(new RequestKey("shared-header", T0.plusNanos(2000)), T0)).isEqualTo(State.NEW);
		assertThat(counted.state(new RequestKey("shared-header", T0.plusNanos(1000)), T0)).isEqualTo(State.TIMED);
	}

	/**
	 * Codes are stored: a change of the function would count every stored request again
	 * after an upgrade. These values are what version 1 of the code gives.
	 */
	@Test
	void theCodeOfARequestNeverChangesBetweenVersions() {
		RequestKey key = new RequestKey("8b7e6f0a-0000-4000-8000-000000000001",
				Instant.parse("2026-11-22T10:00:01.234567Z"));
		assertThat(CountedRequests.code(key) & 1).isZero();
		assertThat(CountedRequests.code(key, true)).isEqualTo(CountedRequests.code(key) | 1);
		assertThat(CountedRequests.code(key)).isEqualTo(CODE_V1);
	}

	private static final long CODE_V1 = 3424953930976519130L;

	@Test
	void distinctRequestsOfABusyMinuteGetDistinctCodes() {
		Set<Long> codes = new HashSet<>();
		for (int i = 0; i < 200_000; i++) {
			codes.add(CountedRequests
				.code(new RequestKey(String.format("%08x-0000-4000-8000-%012d", 7, i), T0.plusNanos(i * 300_000L))));
		}
		assertThat(codes).hasSize(200_000);
	}

	/**
	 * 200,000 requests in one minute (3,300/s) are split over tables of at most 256 KiB
	 * (a larger array is a humongous object to G1, holding whole regions): all still
	 * found, in at most about 2.7 codes' room each.
	 */
	@Test
	void aBusyMinuteIsSplitOverSmallTablesAndEveryRequestIsStillFound() {
		CountedRequests counted = new CountedRequests(CountedRequests.Limits.live(), CountedRequests.Stored.NONE);
		List<RequestKey> keys = new ArrayList<>();
		for (int i = 0; i < 200_000; i++) {
			keys.add(new RequestKey(String.format("%08x-0000-4000-8000-%012d", 9, i), T0.plusNanos(i * 300_000L)));
		}
		assertThat(counted.state(keys.get(0), T0)).isEqualTo(State.NEW);
		Map<Instant, long[]> codes = new HashMap<>();
		long[] minute = new long[keys.size()];
		for (int i = 0; i < keys.size(); i++) {
			minute[i] = CountedRequests.code(keys.get(i), i % 2 == 0);
		}
		codes.put(T0, minute);
		counted.add(codes);
		for (int i = 0; i < keys.size(); i++) {
			assertThat(counted.state(keys.get(i), T0)).isEqualTo((i % 2 == 0) ? State.TIMED : State.COUNTED);
		}
		assertThat(counted.state(new RequestKey("other", T0.plusMillis(7)), T0)).isEqualTo(State.NEW);
		assertThat(counted.codesInMemory()).isBetween(200_000L, 200_000L * 11 / 4);
	}

	@Test
	void minutesBeyondTheMemoryBoundAreReadBackFromTheStoreAndStillKnown() {
		CountedRequests counted = new CountedRequests(new CountedRequests.Limits(Duration.ofHours(3), 64), this.store);
		for (int minute = 0; minute < 30; minute++) {
			for (int i = 0; i < 20; i++) {
				RequestKey key = new RequestKey("r" + minute + "-" + i, T0.plus(Duration.ofMinutes(minute)));
				assertThat(counted.state(key, T0)).isEqualTo(State.NEW);
				commit(counted, key, true);
			}
		}
		assertThat(counted.codesInMemory()).isLessThanOrEqualTo(64);
		int readsBefore = this.reads;
		for (int minute = 0; minute < 30; minute++) {
			assertThat(counted.state(new RequestKey("r" + minute + "-7", T0.plus(Duration.ofMinutes(minute))), T0))
				.isEqualTo(State.TIMED);
		}
		assertThat(this.reads - readsBefore).isGreaterThan(20);
	}

	@Test
	void aLiveClusterForgetsBeforeItsWindowAndDeletesALittleLater() {
		CountedRequests live = new CountedRequests(CountedRequests.Limits.live(), this.store);
		Instant watermark = T0.plus(Duration.ofHours(5));
		RequestKey old = new RequestKey("old", T0.plus(Duration.ofMinutes(119)));
		RequestKey kept = new RequestKey("kept", T0.plus(Duration.ofMinutes(120)));
		assertThat(live.state(old, watermark)).isEqualTo(State.FORGOTTEN);
		assertThat(live.state(kept, watermark)).isEqualTo(State.NEW);
		assertThat(live.deletableBefore(watermark)).isEqualTo(T0.plus(Duration.ofMinutes(110)));
		CountedRequests imported = new CountedRequests(CountedRequests.Limits.imported(), this.store);
		assertThat(imported.state(old, watermark)).isEqualTo(State.NEW);
		assertThat(imported.deletableBefore(watermark)).isNull();
		assertThat(List.of(live.limits().window(), imported.limits().maxCodesInMemory()))
			.containsExactly(Duration.ofHours(3), 8L << 20);
	}

}
