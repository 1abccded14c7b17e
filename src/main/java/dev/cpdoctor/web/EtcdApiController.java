package dev.cpdoctor.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ResourceGrowth;
import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.apiserver.ApiserverProperties;

/**
 * The stable etcd JSON API (documented in README.md) and the upload of offline /metrics dumps.
 */
@RestController
@RequestMapping(path = "/api/v1/clusters/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
class EtcdApiController {

	/** The growth window when the request names none. */
	static final Duration DEFAULT_GROWTH_WINDOW = Duration.ofDays(28);

	record ObjectJson(String group, String resource, Long count) {
	}

	record MemberJson(String member, Long dbSizeBytes) {
	}

	record UsageJson(String cluster, String sizeMetric, Long dbSizeBytes, long quotaBytes, Double usedFraction,
			String sampledAt, List<ObjectJson> objects) {
	}

	record UploadJson(String cluster, String sizeMetric, Long dbSizeBytes, long quotaBytes, Double usedFraction,
			String sampledAt, List<ObjectJson> objects, List<MemberJson> members, String kubernetesVersion,
			ParseJson parse) {
	}

	record ParseJson(long lines, long samples, long kept, Map<String, Long> malformed) {
	}

	record PointJson(String at, long dbSizeBytes) {
	}

	record ResourceJson(String group, String resource, Long countFrom, Long countTo) {
	}

	record GrowthJson(String cluster, String from, String to, List<PointJson> points, Double bytesPerDay,
			Double daysToQuota, List<ResourceJson> resources) {
	}

	private final ClusterCatalog catalog;

	private final EtcdHistory history;

	private final Clock clock;

	private final DataSize maxUpload;

	/** A dump may carry an 'at' slightly ahead of our clock. */
	static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	EtcdApiController(ClusterCatalog catalog, EtcdHistory history, Clock clock, ApiserverProperties apiserver) {
		this.catalog = catalog;
		this.history = history;
		this.clock = clock;
		this.maxUpload = apiserver.maxUpload();
	}

	@GetMapping("/etcd")
	UsageJson etcd(@PathVariable String name) {
		Cluster cluster = cluster(name);
		EtcdSample sample = this.history.latestAtOrBefore(cluster.name(), this.clock.instant())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No etcd sample of cluster '" + cluster.name() + "' yet"));
		return usage(cluster, sample);
	}

	@GetMapping("/etcd/growth")
	GrowthJson growth(@PathVariable String name, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to) {
		Cluster cluster = cluster(name);
		Instant end = (to != null) ? instant("to", to) : this.clock.instant();
		Instant start = (from != null) ? instant("from", from) : end.minus(DEFAULT_GROWTH_WINDOW);
		TimeWindow window;
		try {
			window = new TimeWindow(start, end);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		long quota = cluster.etcdQuota().toBytes();
		EtcdGrowth growth = EtcdGrowth.of(this.history.sizes(cluster.name(), window), quota);
		List<ResourceJson> resources = this.history.earliestAtOrAfter(cluster.name(), window.from())
			.filter((first) -> first.at().isBefore(window.to()))
			.flatMap((first) -> this.history.latestAtOrBefore(cluster.name(), window.to().minusNanos(1))
				.map((last) -> ResourceGrowth.between(first, last)))
			.orElse(List.of())
			.stream()
			.map((r) -> new ResourceJson(r.group(), r.resource(), r.countFrom(), r.countTo()))
			.toList();
		return new GrowthJson(cluster.name(), window.from().toString(), window.to().toString(),
				growth.points().stream().map((p) -> new PointJson(p.at().toString(), p.dbSizeBytes())).toList(),
				growth.bytesPerDay(), growth.daysToQuota(), resources);
	}

	/**
	 * Stores the body of {@code kubectl get --raw /metrics} as a sample at {@code at} (default: now),
	 * registering an offline cluster of that name when none is configured. The body is parsed as it
	 * streams in; one that is not Prometheus text is refused and nothing is stored.
	 */
	@PostMapping(path = "/metrics", consumes = { MediaType.TEXT_PLAIN_VALUE, "application/openmetrics-text",
			MediaType.APPLICATION_OCTET_STREAM_VALUE })
	UploadJson upload(@PathVariable String name, @RequestParam(required = false) String at, HttpServletRequest request)
			throws IOException {
		Instant now = this.clock.instant();
		Instant sampledAt = (at != null) ? instant("at", at) : now;
		if (sampledAt.isAfter(now.plus(CLOCK_SKEW))) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'at' is in the future (" + sampledAt + "); give the instant the dump was taken");
		}
		Cluster known = this.catalog.find(name).orElse(null);
		if (known != null && known.isDemo()) {
			throw new ResponseStatusException(HttpStatus.CONFLICT,
					"'" + name + "' is the built-in demo; upload under another cluster name");
		}
		if (known == null) {
			try {
				Cluster.requireValidName(name);
			}
			catch (IllegalArgumentException ex) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
			}
		}
		ApiserverSnapshot snapshot;
		long limit = this.maxUpload.toBytes();
		try (InputStream body = new BoundedInputStream(request.getInputStream(), limit)) {
			snapshot = ApiserverSnapshot.parse(body);
		}
		catch (BoundedInputStream.LimitExceededException ex) {
			throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "The body is larger than " + this.maxUpload
					+ " (cpdoctor.apiserver.max-upload); nothing was stored");
		}
		if (!snapshot.report().looksLikePrometheusText()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The body is not Prometheus text (" + snapshot.report().samples() + " sample lines, "
							+ snapshot.report().malformedCount() + " malformed: " + snapshot.report().malformed()
							+ "). Send the output of: kubectl get --raw /metrics");
		}
		if (snapshot.sizeMetric() == null && snapshot.objects().isEmpty()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The body holds neither an etcd size family (" + ApiserverSnapshot.SIZE_FAMILIES + ") nor object counts ("
							+ ApiserverSnapshot.OBJECT_FAMILIES + "): is it the apiserver's /metrics?");
		}
		Cluster cluster = (known != null) ? known : this.catalog.offline(name);
		EtcdSample sample = snapshot.toEtcdSample(sampledAt);
		this.history.saveScrape(cluster.name(), sampledAt, snapshot);
		UsageJson usage = usage(cluster, sample);
		return new UploadJson(usage.cluster(), usage.sizeMetric(), usage.dbSizeBytes(), usage.quotaBytes(),
				usage.usedFraction(), usage.sampledAt(), usage.objects(),
				snapshot.members().stream().map((m) -> new MemberJson(m.member(), m.dbSizeBytes())).toList(),
				snapshot.gitVersion(), new ParseJson(snapshot.report().lines(), snapshot.report().samples(),
						snapshot.report().kept(), snapshot.report().malformed()));
	}

	private static UsageJson usage(Cluster cluster, EtcdSample sample) {
		long quota = cluster.etcdQuota().toBytes();
		Double fraction = (sample.dbSizeBytes() != null) ? (double) sample.dbSizeBytes() / quota : null;
		return new UsageJson(cluster.name(), sample.sizeMetric(), sample.dbSizeBytes(), quota, fraction,
				sample.at().toString(),
				sample.objects().stream().map((o) -> new ObjectJson(o.group(), o.resource(), o.count())).toList());
	}

	private Cluster cluster(String name) {
		return this.catalog.find(name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown cluster '" + name + "'"));
	}

	private static Instant instant(String parameter, String value) {
		try {
			return Instant.parse(value.trim());
		}
		catch (DateTimeParseException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'" + parameter + "' must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
		}
	}

}
