package dev.cpdoctor.source.etcd;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.SourceResult;

/**
 * Reads etcd with jetcd (gRPC) and its /metrics over HTTP. Uncached: each call asks etcd;
 * wrap it in a caching source. Only read calls are made: Status, Alarm GET, Range, GET
 * /metrics. The status is read by {@link EtcdStatusRead}, the keyspace by
 * {@link KeyspaceScanner}.
 */
public final class JetcdEtcdDirectSource implements EtcdDirectSource, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(JetcdEtcdDirectSource.class);

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
		return withConnection(cluster, (connection) -> SourceResult
			.ok(new EtcdStatusRead(connection, this.properties.timeout()).collect(this.clock)));
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
				return SourceResult.failed("the keyspace scan failed: " + EtcdFailures.reason(ex.getCause()));
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
