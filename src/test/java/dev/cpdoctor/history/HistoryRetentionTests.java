package dev.cpdoctor.history;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.etcd.ApfRate;
import dev.cpdoctor.analysis.etcd.EtcdGrowth.SizePoint;
import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.analysis.network.OwnCall;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.demo.DemoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History retention on the stores as the application wires them, with the demo's history
 * stored beside the clusters' own (each test a fresh embedded database): samples deleted
 * and thinned by age, the demo and offline clusters left alone, own calls kept their own
 * retention.
 */
class HistoryRetentionTests {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	private final ApplicationContextRunner runner = WiringRunners.stores()
		.withUserConfiguration(DemoConfiguration.class);

	@Test
	void oldSamplesAreDeletedMiddleAgedOnesThinnedToTheLastOfEachHourAndTheDemoLeftAlone() {
		this.runner.run((context) -> {
			EtcdHistory history = context.getBean(EtcdHistory.class);
			long demoBefore = history.count("demo");
			assertThat(demoBefore).as("the demo's own history is stored").isPositive();
			List<Instant> times = new ArrayList<>();
			// 100 days old: past the 90-day retention (3 samples)
			for (int i = 0; i < 3; i++) {
				times.add(NOW.minus(100, ChronoUnit.DAYS).plus(10L * i, ChronoUnit.MINUTES));
			}
			// 30 days old: every 10 minutes for two whole hours (12 samples -> 2)
			Instant thirty = NOW.minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
			for (int i = 0; i < 12; i++) {
				times.add(thirty.plus(10L * i, ChronoUnit.MINUTES));
			}
			// yesterday: every 10 minutes for an hour (6 samples, all kept)
			Instant yesterday = NOW.minus(1, ChronoUnit.DAYS);
			for (int i = 0; i < 6; i++) {
				times.add(yesterday.plus(10L * i, ChronoUnit.MINUTES));
			}
			double counter = 0;
			for (Instant at : times) {
				counter += 5;
				history.saveScrape("lab", at, snapshot(counter));
			}
			// An offline cluster: a support bundle uploaded with its own, old, instants.
			context.getBean(ClusterCatalog.class).offline("bundle-9");
			history.saveScrape("bundle-9", NOW.minus(200, ChronoUnit.DAYS), snapshot(1));
			history.saveScrape("bundle-9", NOW.minus(200, ChronoUnit.DAYS).plusSeconds(60), snapshot(2));
			HistoryRetention.Result result = context.getBean(HistoryRetention.class).run(NOW);

			assertThat(result).isEqualTo(new HistoryRetention.Result(3, 10, 0));
			List<SizePoint> kept = history.sizes("lab", new TimeWindow(NOW.minus(400, ChronoUnit.DAYS), NOW));
			assertThat(kept).hasSize(2 + 6);
			assertThat(kept.get(0).at()).isEqualTo(thirty.plus(50, ChronoUnit.MINUTES));
			assertThat(kept.get(1).at()).isEqualTo(thirty.plus(110, ChronoUnit.MINUTES));
			assertThat(history.count("demo")).isEqualTo(demoBefore);
			assertThat(history.count("bundle-9")).as("offline uploads are all that cluster has").isEqualTo(2);
			// No orphans: every child row belongs to a kept sample.
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			assertThat(jdbc
				.sql("select count(*) from etcd_object_count o left join etcd_sample s on s.id = o.sample_id"
						+ " where s.id is null")
				.query(Long.class)
				.single()).isZero();
			assertThat(
					jdbc.sql("select count(*) from apf_rejection where sample_id not in (select id from etcd_sample)")
						.query(Long.class)
						.single())
				.isZero();
			// Kept samples keep their counter values (45 at :50, 75 at 1:50), so the
			// increase between them is exact: 75 - 45.
			assertThat(rejectedBetween(history, thirty.plus(50, ChronoUnit.MINUTES), thirty.plus(2, ChronoUnit.HOURS)))
				.isEqualTo(30);
			assertThat(context.getBean(HistoryRetention.class).run(NOW))
				.isEqualTo(new HistoryRetention.Result(0, 0, 0));
		});
	}

	@Test
	void ownCallsAreKeptTheirOwnRetentionOfThirtyDaysByDefault() {
		this.runner.run((context) -> {
			OwnCallStore store = context.getBean(OwnCallStore.class);
			Function<Instant, OwnCall> call = (at) -> OwnCall.answered("lab", at, "metrics", Duration.ofMillis(5), 200);
			store.save(List.of(call.apply(NOW.minus(31, ChronoUnit.DAYS)),
					call.apply(NOW.minus(30, ChronoUnit.DAYS).minusSeconds(1)),
					call.apply(NOW.minus(29, ChronoUnit.DAYS)), call.apply(NOW.minus(1, ChronoUnit.HOURS))));

			assertThat(context.getBean(HistoryRetention.class).run(NOW))
				.isEqualTo(new HistoryRetention.Result(0, 0, 2));

			assertThat(store.calls("lab", TimeWindow.ending(NOW, Duration.ofDays(60)), 10).calls())
				.extracting(OwnCall::at)
				.containsExactly(NOW.minus(29, ChronoUnit.DAYS), NOW.minus(1, ChronoUnit.HOURS));
		});
	}

	private static double rejectedBetween(EtcdHistory history, Instant from, Instant to) {
		return history.apfRates("lab", new TimeWindow(from, to)).stream().mapToDouble(ApfRate::rejected).sum();
	}

	private static ApiserverSnapshot snapshot(double rejected) throws Exception {
		String body = "apiserver_storage_size_bytes{storage_cluster_id=\"etcd-0\"} 1e9\n"
				+ "apiserver_resource_objects{group=\"\",resource=\"pods\"} 10\n"
				+ "apiserver_flowcontrol_rejected_requests_total{flow_schema=\"x\",priority_level=\"y\",reason=\"queue-full\"} "
				+ rejected + "\n";
		return ApiserverSnapshot.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
	}

}
