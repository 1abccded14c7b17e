package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.SourceResult;

/** Answers the audit questions for the demo cluster from its rolled-up audit day. */
public final class DemoAuditAnalytics implements AuditAnalytics {

	private static final Duration WAIT_FOR_ROLLUP = Duration.ofSeconds(5);

	private final DemoData demo;

	public DemoAuditAnalytics(DemoData demo) {
		this.demo = demo;
	}

	@Override
	public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
		return ask(window, (rollup) -> rollup.topUserAgents(window, limit));
	}

	@Override
	public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin, int topN) {
		return ask(window, (rollup) -> rollup.latencySeries(window, bin, topN));
	}

	@Override
	public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
			String userAgent) {
		return ask(window, (rollup) -> rollup.p99ByVerbAndResource(window, userAgent));
	}

	private <T> SourceResult<T> ask(TimeWindow window, Function<AuditRollup, T> question) {
		AuditRollup rollup;
		try {
			rollup = this.demo.auditRollup().get(WAIT_FOR_ROLLUP.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return SourceResult.failed("The demo audit day is still being generated; reload in a few seconds");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return SourceResult.failed("Interrupted while waiting for the demo audit day");
		}
		catch (ExecutionException ex) {
			return SourceResult.failed("The demo audit day could not be generated: " + ex.getCause().getMessage());
		}
		T answer = question.apply(rollup);
		TimeWindow data = rollup.coverage();
		if (data == null || !window.to().isAfter(data.from()) || !window.from().isBefore(data.to())) {
			return new SourceResult.Ok<>(answer,
					List.of("The demo holds one day of audit traffic"
							+ ((data != null) ? ", from " + data.from() + " to " + data.to() : "")
							+ "; this window lies outside it"));
		}
		return SourceResult.ok(answer);
	}

}
