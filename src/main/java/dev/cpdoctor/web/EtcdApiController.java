package dev.cpdoctor.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.MetricsUpload;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.EtcdDirectReader;
import dev.cpdoctor.troubleshoot.EtcdHistoryFacts;
import dev.cpdoctor.web.EtcdJson.GrowthJson;
import dev.cpdoctor.web.EtcdJson.PrefixJson;
import dev.cpdoctor.web.EtcdJson.UploadJson;
import dev.cpdoctor.web.EtcdJson.UsageJson;

/**
 * The stable etcd JSON API (docs/api.md) and the upload of offline /metrics dumps.
 */
@RestController
@RequestMapping(path = "/api/v1/clusters/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
class EtcdApiController {

	/** The growth window when the request names none. */
	static final Duration DEFAULT_GROWTH_WINDOW = Duration.ofDays(28);

	private final ClusterCatalog catalog;

	private final EtcdHistoryFacts history;

	private final EtcdDirectReader direct;

	private final MetricsUpload uploads;

	private final Clock clock;

	EtcdApiController(ClusterCatalog catalog, EtcdHistoryFacts history, EtcdDirectReader direct, MetricsUpload uploads,
			Clock clock) {
		this.catalog = catalog;
		this.history = history;
		this.direct = direct;
		this.uploads = uploads;
		this.clock = clock;
	}

	/**
	 * The newest sample from the apiserver, and for a cluster whose etcd is read directly
	 * its alarms and members. 404 when the cluster has neither a sample nor direct etcd
	 * access.
	 */
	@GetMapping("/etcd")
	UsageJson etcd(@PathVariable String name) {
		Cluster cluster = cluster(name);
		boolean direct = this.direct.configured(cluster);
		EtcdSample sample = this.history.sampleAt(cluster, this.clock.instant()).orElse(null);
		if (sample == null && !direct) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No etcd sample of cluster '" + cluster.name() + "' yet");
		}
		UsageJson usage = (sample != null) ? UsageJson.of(cluster, sample) : UsageJson.noSample(cluster);
		return direct ? usage.withDirect(this.direct.status(cluster)) : usage;
	}

	/**
	 * Space by key prefix from the last scan of the cluster's etcd (a first scan when
	 * there is none), largest bytes first. 404 for an unknown cluster, 409 when its etcd
	 * is not read directly, 503 when the scan failed. The scan's revision, time and pages
	 * are in the X-Etcd-* headers.
	 */
	@GetMapping("/etcd/prefixes")
	ResponseEntity<List<PrefixJson>> prefixes(@PathVariable String name,
			@RequestParam(defaultValue = "false") boolean namespaces) {
		Cluster cluster = directCluster(name);
		return prefixes(this.direct.keyspace(cluster), namespaces);
	}

	/**
	 * A new scan, then the same answer as GET (a scan already running is shared, not
	 * doubled).
	 */
	@PostMapping("/etcd/prefixes/refresh")
	ResponseEntity<List<PrefixJson>> refreshPrefixes(@PathVariable String name,
			@RequestParam(defaultValue = "false") boolean namespaces) {
		Cluster cluster = directCluster(name);
		return prefixes(this.direct.refresh(cluster), namespaces);
	}

	private Cluster directCluster(String name) {
		Cluster cluster = cluster(name);
		if (!this.direct.configured(cluster)) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "The etcd of cluster '" + cluster.name()
					+ "' is not read directly: configure cpdoctor.clusters[].etcd.endpoints (self-managed clusters only)");
		}
		return cluster;
	}

	private static ResponseEntity<List<PrefixJson>> prefixes(SourceResult<KeyspaceUsage> scan, boolean namespaces) {
		if (!scan.ok()) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
					"The keyspace scan failed: " + scan.error());
		}
		KeyspaceUsage usage = scan.value();
		return ResponseEntity.ok()
			.header("X-Etcd-Revision", String.valueOf(usage.revision()))
			.header("X-Etcd-Scanned-At", usage.scannedAt().toString())
			.header("X-Etcd-Pages", String.valueOf(usage.pages()))
			.body(PrefixJson.of(usage, namespaces));
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
		return GrowthJson.of(cluster, window, this.history.growthWithin(cluster, window));
	}

	/**
	 * Stores the body of {@code kubectl get --raw /metrics} as a sample at {@code at}
	 * (default: now), registering an offline cluster of that name when none is
	 * configured. One that is not Prometheus text is refused and nothing is stored.
	 */
	@PostMapping(path = "/metrics", consumes = { MediaType.TEXT_PLAIN_VALUE, "application/openmetrics-text",
			MediaType.APPLICATION_OCTET_STREAM_VALUE })
	UploadJson upload(@PathVariable String name, @RequestParam(required = false) String at, HttpServletRequest request)
			throws IOException {
		Instant sampledAt = (at != null) ? instant("at", at) : null;
		MetricsUpload.Upload upload = this.uploads.upload(name, sampledAt, request.getInputStream());
		if (upload instanceof MetricsUpload.Upload.Stored stored) {
			return UploadJson.of(UsageJson.of(stored.cluster(), stored.snapshot().toEtcdSample(stored.at())),
					stored.snapshot());
		}
		MetricsUpload.Upload.Refused refused = (MetricsUpload.Upload.Refused) upload;
		throw new ResponseStatusException(switch (refused.refusal()) {
			case INVALID -> HttpStatus.BAD_REQUEST;
			case DEMO -> HttpStatus.CONFLICT;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
		}, refused.message());
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
