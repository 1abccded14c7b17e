package dev.cpdoctor.source.etcd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.impl.AbstractResponse;
import io.etcd.jetcd.api.AlarmResponseOrBuilder;
import io.etcd.jetcd.maintenance.AlarmResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdEndpointFailure;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdServerMetrics;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.metrics.EtcdMemberMetrics;
import dev.cpdoctor.analysis.metrics.MetricSample;
import dev.cpdoctor.analysis.metrics.PrometheusTextParser;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.SourceResult;

/**
 * Reads etcd with jetcd (gRPC) and its /metrics over HTTP. Uncached: each call asks etcd;
 * wrap it in a caching source. Only read calls are made: Status, Alarm GET, Range, GET
 * /metrics.
 */
public final class JetcdEtcdDirectSource implements EtcdDirectSource, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(JetcdEtcdDirectSource.class);

	private static final PrometheusTextParser METRICS = new PrometheusTextParser(EtcdMemberMetrics.FAMILIES);

	private final Map<String, ClusterProperties.Etcd> etcdByCluster;

	private final EtcdProperties properties;

	private final Clock clock;

	private final Map<String, EtcdConnection> connections = new ConcurrentHashMap<>();

	/**
	 * @param etcdByCluster cluster name -> its etcd; clusters without endpoints are left
	 * out
	 */
	public JetcdEtcdDirectSource(Map<String, ClusterProperties.Etcd> etcdByCluster, EtcdProperties properties,
			Clock clock) {
		this.etcdByCluster = Map.copyOf(etcdByCluster);
		this.properties = properties;
		this.clock = clock;
	}

	/** The etcd blocks of cpdoctor.clusters[] that name endpoints. */
	public static Map<String, ClusterProperties.Etcd> configured(ClusterProperties clusters) {
		Map<String, ClusterProperties.Etcd> etcd = new LinkedHashMap<>();
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			if (entry.etcd() != null && entry.etcd().configured()) {
				etcd.put(entry.name(), entry.etcd());
			}
		}
		return etcd;
	}

	@Override
	public boolean configured(Cluster cluster) {
		return this.etcdByCluster.containsKey(cluster.name());
	}

	@Override
	public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
		return withConnection(cluster, (connection) -> SourceResult.ok(status(connection)));
	}

	@Override
	public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
		return refreshKeyspace(cluster);
	}

	@Override
	public SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster) {
		return withConnection(cluster, (connection) -> {
			KeyspaceScanner scanner = new KeyspaceScanner(connection.client().getKVClient(), this.properties.timeout(),
					this.properties.pageSize(), this.properties.maxScanDuration(), ScanPacer.of(this.properties),
					this.clock);
			try {
				return SourceResult.ok(scanner.scan());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return SourceResult.failed("the keyspace scan was interrupted");
			}
			catch (ExecutionException ex) {
				return SourceResult.failed("the keyspace scan failed: " + reason(ex.getCause()));
			}
			catch (TimeoutException ex) {
				return SourceResult.failed("the keyspace scan failed: " + ((ex.getMessage() != null) ? ex.getMessage()
						: "a page got no answer within " + this.properties.timeout()));
			}
		});
	}

	private interface Read<T> {

		SourceResult<T> read(EtcdConnection connection);

	}

	private <T> SourceResult<T> withConnection(Cluster cluster, Read<T> read) {
		ClusterProperties.Etcd etcd = this.etcdByCluster.get(cluster.name());
		if (etcd == null) {
			return SourceResult.failed("No etcd endpoints are configured for cluster '" + cluster.name()
					+ "' (cpdoctor.clusters[].etcd.endpoints)");
		}
		EtcdConnection connection;
		try {
			connection = this.connections.computeIfAbsent(cluster.name(),
					(name) -> new EtcdConnection(etcd, this.properties));
		}
		catch (RuntimeException ex) {
			return SourceResult.failed("Cannot set up the etcd client: " + SourceResult.firstLine(ex.getMessage()));
		}
		return read.read(connection);
	}

	private EtcdClusterStatus status(EtcdConnection connection) {
		long deadline = System.nanoTime() + this.properties.timeout().toNanos();
		Map<String, Future<StatusResponse>> statuses = new LinkedHashMap<>();
		connection.memberChannels().forEach((endpoint, channel) -> {
			try {
				// a gRPC deadline: the call ends at etcd and here; a late answer is
				// cancelled besides
				statuses.put(endpoint,
						MaintenanceGrpc.newFutureStub(channel)
							.withDeadlineAfter(this.properties.timeout().toNanos(), TimeUnit.NANOSECONDS)
							.status(StatusRequest.getDefaultInstance()));
			}
			catch (RuntimeException ex) {
				statuses.put(endpoint, CompletableFuture.failedFuture(ex));
			}
		});
		var alarms = connection.client().getMaintenanceClient().listAlarms();
		Map<URI, CompletableFuture<HttpResponse<byte[]>>> metrics = new LinkedHashMap<>();
		for (URI endpoint : connection.metricsEndpoints()) {
			HttpRequest request = HttpRequest.newBuilder(metricsUri(endpoint))
				.timeout(this.properties.timeout())
				.GET()
				.build();
			metrics.put(endpoint, connection.http().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
		}

		List<EtcdMemberStatus> members = new ArrayList<>();
		List<EtcdEndpointFailure> unreachable = new ArrayList<>();
		statuses.forEach((endpoint, future) -> {
			try {
				StatusResponse s = await(future, deadline);
				members.add(new EtcdMemberStatus(endpoint, s.getHeader().getMemberId(), s.getVersion(), s.getDbSize(),
						s.getDbSizeInUse(), s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId(),
						s.getRaftIndex(), s.getRaftTerm(), s.getHeader().getRevision(), s.getIsLearner(),
						List.copyOf(s.getErrorsList())));
			}
			catch (Exception ex) {
				unreachable.add(new EtcdEndpointFailure(endpoint, failure(ex)));
			}
		});
		List<EtcdAlarm> alarmList = null;
		String alarmsFailure = null;
		try {
			alarmList = alarms(await(alarms, deadline));
		}
		catch (Exception ex) {
			alarmsFailure = failure(ex);
		}
		List<EtcdServerMetrics> scraped = new ArrayList<>();
		List<EtcdEndpointFailure> metricsFailures = new ArrayList<>();
		metrics.forEach((endpoint, future) -> {
			try {
				HttpResponse<byte[]> response = await(future, deadline);
				if (response.statusCode() != 200) {
					metricsFailures.add(new EtcdEndpointFailure(endpoint.toString(), "HTTP " + response.statusCode()));
					return;
				}
				List<MetricSample> samples = new ArrayList<>();
				METRICS.parse(new ByteArrayInputStream(response.body()), samples::add);
				scraped.add(EtcdMemberMetrics.of(endpoint.toString(), samples));
			}
			catch (Exception ex) {
				metricsFailures.add(new EtcdEndpointFailure(endpoint.toString(), failure(ex)));
			}
		});
		return new EtcdClusterStatus(members, unreachable, alarmList, alarmsFailure, scraped, metricsFailures,
				this.clock.instant());
	}

	private static URI metricsUri(URI endpoint) {
		String base = endpoint.toString();
		if (base.endsWith("/metrics")) {
			return endpoint;
		}
		return URI.create(base.endsWith("/") ? base + "metrics" : base + "/metrics");
	}

	/**
	 * The alarms with their real type. jetcd's own AlarmType knows only NONE and NOSPACE
	 * (CORRUPT comes out as UNRECOGNIZED), so the protobuf answer underneath is read;
	 * should that ever fail, jetcd's view is used and a CORRUPT alarm shows as OTHER.
	 */
	static List<EtcdAlarm> alarms(AlarmResponse response) {
		try {
			Method raw = AbstractResponse.class.getDeclaredMethod("getResponse");
			raw.setAccessible(true);
			AlarmResponseOrBuilder proto = (AlarmResponseOrBuilder) raw.invoke(response);
			return proto.getAlarmsList()
				.stream()
				.map((a) -> new EtcdAlarm(a.getMemberID(), alarmType(a.getAlarm().name())))
				.toList();
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			log.debug("Reading the raw alarm list failed, using jetcd's: {}", ex.toString());
			return response.getAlarms()
				.stream()
				.map((a) -> new EtcdAlarm(a.getMemberId(), alarmType(a.getAlarmType().name())))
				.toList();
		}
	}

	static EtcdAlarm.Type alarmType(String name) {
		return switch (name) {
			case "NOSPACE" -> EtcdAlarm.Type.NOSPACE;
			case "CORRUPT" -> EtcdAlarm.Type.CORRUPT;
			default -> EtcdAlarm.Type.OTHER;
		};
	}

	/**
	 * Waits no longer than what is left of the call's deadline; a late answer is
	 * cancelled.
	 */
	private static <T> T await(Future<T> future, long deadline) throws Exception {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw ex;
		}
	}

	private String failure(Exception ex) {
		if (ex instanceof TimeoutException) {
			return "no answer within " + this.properties.timeout();
		}
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
		return reason((ex instanceof ExecutionException) ? ex.getCause() : ex);
	}

	private static String reason(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
			root = root.getCause();
		}
		String message = root.getMessage();
		if (root instanceof IOException && message == null) {
			message = root.getClass().getSimpleName();
		}
		return SourceResult.firstLine((message != null) ? message : root.getClass().getSimpleName());
	}

	@Override
	public void close() {
		this.connections.values().forEach((c) -> {
			try {
				c.close();
			}
			catch (RuntimeException ex) {
				log.debug("Closing an etcd client failed: {}", ex.getMessage());
			}
		});
		this.connections.clear();
	}

}
