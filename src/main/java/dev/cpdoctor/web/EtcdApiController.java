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

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.RegistryKey;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ResourceGrowth;
import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.apiserver.ApiserverProperties;

/**
 * The stable etcd JSON API (documented in README.md) and the upload of offline /metrics
 * dumps.
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

	/**
	 * The etcd JSON. The apiserver's sample: sizeMetric to objects (null and empty when
	 * there is no sample yet, for a cluster whose etcd is read directly). Read directly
	 * (clusters with cpdoctor.clusters[].etcd only; absent for the others): alarms,
	 * members, unreachable, and etcdError when etcd could not be read at all, alarmsError
	 * when only its alarm list could not.
	 */
	record UsageJson(String cluster, String sizeMetric, Long dbSizeBytes, long quotaBytes, Double usedFraction,
			String sampledAt, List<ObjectJson> objects,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<AlarmJson> alarms,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<EtcdMemberJson> members,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<UnreachableJson> unreachable,
			@JsonInclude(JsonInclude.Include.NON_NULL) String alarmsError,
			@JsonInclude(JsonInclude.Include.NON_NULL) String etcdError) {

		UsageJson withDirect(Panel<EtcdClusterStatus> status) {
			if (!status.ok()) {
				return new UsageJson(this.cluster, this.sizeMetric, this.dbSizeBytes, this.quotaBytes,
						this.usedFraction, this.sampledAt, this.objects, null, null, null, null, status.error());
			}
			EtcdClusterStatus s = status.value();
			return new UsageJson(this.cluster, this.sizeMetric, this.dbSizeBytes, this.quotaBytes, this.usedFraction,
					this.sampledAt, this.objects,
					(s.alarms() != null)
							? s.alarms().stream().map((a) -> new AlarmJson(a.type().name(), a.memberIdHex())).toList()
							: null,
					s.members().stream().map(EtcdMemberJson::of).toList(),
					s.unreachable().stream().map((u) -> new UnreachableJson(u.endpoint(), u.reason())).toList(),
					s.alarmsFailure(), null);
		}

	}

	/**
	 * A raised etcd alarm: NOSPACE, CORRUPT or OTHER, and the member (hex id) that raised
	 * it.
	 */
	record AlarmJson(String type, String memberId) {
	}

	/** One etcd member as it answered the status call. */
	record EtcdMemberJson(String endpoint, String memberId, String version, long dbSizeBytes, long dbSizeInUseBytes,
			boolean isLeader, long raftIndex, long revision) {

		static EtcdMemberJson of(EtcdMemberStatus m) {
			return new EtcdMemberJson(m.endpoint(), m.memberIdHex(), m.version(), m.dbSizeBytes(), m.dbSizeInUseBytes(),
					m.leader(), m.raftIndex(), m.revision());
		}

	}

	record UnreachableJson(String endpoint, String reason) {
	}

	/**
	 * One key prefix of a keyspace scan; namespaces only when asked for
	 * (?namespaces=true).
	 */
	record PrefixJson(String prefix, String group, String resource, long keys, long bytes,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<NamespaceJson> namespaces) {
	}

	/** namespace null: the prefix's cluster-scoped keys. */
	record NamespaceJson(String namespace, long keys, long bytes) {
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

	private final EtcdDirectPanels direct;

	/** A dump may carry an 'at' slightly ahead of our clock. */
	static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	EtcdApiController(ClusterCatalog catalog, EtcdHistory history, Clock clock, ApiserverProperties apiserver,
			EtcdDirectPanels direct) {
		this.direct = direct;
		this.catalog = catalog;
		this.history = history;
		this.clock = clock;
		this.maxUpload = apiserver.maxUpload();
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
		EtcdSample sample = this.history.latestAtOrBefore(cluster.name(), this.clock.instant()).orElse(null);
		if (sample == null && !direct) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No etcd sample of cluster '" + cluster.name() + "' yet");
		}
		UsageJson usage = (sample != null) ? usage(cluster, sample) : new UsageJson(cluster.name(), null, null,
				cluster.etcdQuota().toBytes(), null, null, List.of(), null, null, null, null, null);
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

	private static ResponseEntity<List<PrefixJson>> prefixes(Panel<KeyspaceUsage> scan, boolean namespaces) {
		if (!scan.ok()) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
					"The keyspace scan failed: " + scan.error());
		}
		KeyspaceUsage usage = scan.value();
		List<PrefixJson> body = usage.prefixes()
			.stream()
			.map((p) -> new PrefixJson(
					RegistryKey.OUTSIDE_PREFIX.equals(p.resourcePrefix()) ? p.resourcePrefix() : p.keyPrefix(),
					p.group(), p.resource(), p.keys(), p.valueBytes(),
					namespaces ? p.namespaces()
						.stream()
						.map((n) -> new NamespaceJson(n.namespace(), n.keys(), n.valueBytes()))
						.toList() : null))
			.toList();
		return ResponseEntity.ok()
			.header("X-Etcd-Revision", String.valueOf(usage.revision()))
			.header("X-Etcd-Scanned-At", usage.scannedAt().toString())
			.header("X-Etcd-Pages", String.valueOf(usage.pages()))
			.body(body);
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
	 * Stores the body of {@code kubectl get --raw /metrics} as a sample at {@code at}
	 * (default: now), registering an offline cluster of that name when none is
	 * configured. The body is parsed as it streams in; one that is not Prometheus text is
	 * refused and nothing is stored.
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
					"The body holds neither an etcd size family (" + ApiserverSnapshot.SIZE_FAMILIES
							+ ") nor object counts (" + ApiserverSnapshot.OBJECT_FAMILIES
							+ "): is it the apiserver's /metrics?");
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
				sample.objects().stream().map((o) -> new ObjectJson(o.group(), o.resource(), o.count())).toList(), null,
				null, null, null, null);
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
