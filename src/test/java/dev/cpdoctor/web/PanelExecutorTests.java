package dev.cpdoctor.web;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PanelExecutorTests {

	@Test
	void aSlowSourceBecomesAFailedPanelAtTheLimitWhileAFastOneAnswers() {
		PanelExecutor panels = new PanelExecutor(4, Duration.ofMillis(200));
		try {
			long started = System.nanoTime();
			var slow = panels.ask(() -> {
				try {
					Thread.sleep(3_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return new Panel<>(List.of("late"), null, List.of());
			});
			var fast = panels.ask(() -> new Panel<>(List.of("now"), null, List.of()));
			assertThat(fast.join().value()).containsExactly("now");
			Panel<List<String>> timedOut = slow.join();
			assertThat(timedOut.ok()).isFalse();
			assertThat(timedOut.error()).contains("No answer within 0 s").contains("still working");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		}
		finally {
			panels.shutdownNow();
		}
	}

}
