package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourceExecutorTests {

	@Test
	void aSlowSourceBecomesAFailedPanelAtTheLimitWhileAFastOneAnswers() {
		SourceExecutor panels = new SourceExecutor(4, Duration.ofMillis(200));
		try {
			long started = System.nanoTime();
			var slow = panels.ask(() -> {
				try {
					Thread.sleep(3_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return SourceResult.ok(List.of("late"));
			});
			var fast = panels.ask(() -> SourceResult.ok(List.of("now")));
			assertThat(fast.join().value()).containsExactly("now");
			SourceResult<List<String>> timedOut = slow.join();
			assertThat(timedOut.ok()).isFalse();
			assertThat(timedOut.error()).contains("No answer within 0 s").contains("still working");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		}
		finally {
			panels.shutdownNow();
		}
	}

}
