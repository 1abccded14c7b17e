package dev.cpdoctor.source.etcd;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.api.AlarmResponseOrBuilder;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.impl.AbstractResponse;
import io.etcd.jetcd.maintenance.AlarmResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdEndpointFailure;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdServerMetrics;
import dev.cpdoctor.analysis.metrics.EtcdMemberMetrics;
import dev.cpdoctor.analysis.metrics.MetricSample;
import dev.cpdoctor.analysis.metrics.PrometheusTextParser;

/**
 * One read of an etcd cluster's status: every member's Status, the alarm list and every
 * /metrics endpoint are asked at once, then their answers are collected within one
 * deadline of the timeout; what does not answer in time is cancelled and said as a
 * failure of its endpoint.
 */
final class EtcdStatusRead {

	private static final Logger log = LoggerFactory.getLogger(EtcdStatusRead.class);

	private static final PrometheusTextParser METRICS = new PrometheusTextParser(EtcdMemberMetrics.FAMILIES);

	private final Duration timeout;

	private final long deadline;

	private final Map<String, Future<StatusResponse>> statuses;

	private final Future<AlarmResponse> alarms;

	private final Map<URI, CompletableFuture<HttpResponse<byte[]>>> metrics;

	/** Asks everything at once. */
	EtcdStatusRead(EtcdConnection connection, Duration timeout) {
		this.timeout = timeout;
		this.deadline = System.nanoTime() + timeout.toNanos();
		this.statuses = askStatuses(connection, timeout);
		this.alarms = connection.client().getMaintenanceClient().listAlarms();
		this.metrics = askMetrics(connection, timeout);
	}

	private static Map<String, Future<StatusResponse>> askStatuses(EtcdConnection connection, Duration timeout) {
		Map<String, Future<StatusResponse>> statuses = new LinkedHashMap<>();
		connection.memberChannels().forEach((endpoint, channel) -> {
			try {
				// a gRPC deadline: the call ends at etcd and here; a late answer is
				// cancelled besides
				statuses.put(endpoint,
						MaintenanceGrpc.newFutureStub(channel)
							.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
							.status(StatusRequest.getDefaultInstance()));
			}
			catch (RuntimeException ex) {
				statuses.put(endpoint, CompletableFuture.failedFuture(ex));
			}
		});
		return statuses;
	}

	private static Map<URI, CompletableFuture<HttpResponse<byte[]>>> askMetrics(EtcdConnection connection,
			Duration timeout) {
		Map<URI, CompletableFuture<HttpResponse<byte[]>>> metrics = new LinkedHashMap<>();
		for (URI endpoint : connection.metricsEndpoints()) {
			HttpRequest request = HttpRequest.newBuilder(metricsUri(endpoint)).timeout(timeout).GET().build();
			metrics.put(endpoint, connection.http().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
		}
		return metrics;
	}

	private static URI metricsUri(URI endpoint) {
		String base = endpoint.toString();
		if (base.endsWith("/metrics")) {
			return endpoint;
		}
		return URI.create(base.endsWith("/") ? base + "metrics" : base + "/metrics");
	}

	/** The answers as they came within the deadline, as of the clock's now. */
	EtcdClusterStatus collect(Clock clock) {
		List<EtcdMemberStatus> members = new ArrayList<>();
		List<EtcdEndpointFailure> unreachable = new ArrayList<>();
		collectMembers(members, unreachable);
		List<EtcdAlarm> alarmList = null;
		String alarmsFailure = null;
		try {
			alarmList = alarms(await(this.alarms));
		}
		catch (Exception ex) {
			alarmsFailure = EtcdFailures.of(ex, this.timeout);
		}
		List<EtcdServerMetrics> scraped = new ArrayList<>();
		List<EtcdEndpointFailure> metricsFailures = new ArrayList<>();
		collectMetrics(scraped, metricsFailures);
		return new EtcdClusterStatus(members, unreachable, alarmList, alarmsFailure, scraped, metricsFailures,
				clock.instant());
	}

	private void collectMembers(List<EtcdMemberStatus> members, List<EtcdEndpointFailure> unreachable) {
		this.statuses.forEach((endpoint, future) -> {
			try {
				StatusResponse s = await(future);
				members.add(new EtcdMemberStatus(endpoint, s.getHeader().getMemberId(), s.getVersion(), s.getDbSize(),
						s.getDbSizeInUse(), s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId(),
						s.getRaftIndex(), s.getRaftTerm(), s.getHeader().getRevision(), s.getIsLearner(),
						List.copyOf(s.getErrorsList())));
			}
			catch (Exception ex) {
				unreachable.add(new EtcdEndpointFailure(endpoint, EtcdFailures.of(ex, this.timeout)));
			}
		});
	}

	private void collectMetrics(List<EtcdServerMetrics> scraped, List<EtcdEndpointFailure> failures) {
		this.metrics.forEach((endpoint, future) -> {
			try {
				HttpResponse<byte[]> response = await(future);
				if (response.statusCode() != 200) {
					failures.add(new EtcdEndpointFailure(endpoint.toString(), "HTTP " + response.statusCode()));
					return;
				}
				List<MetricSample> samples = new ArrayList<>();
				METRICS.parse(new ByteArrayInputStream(response.body()), samples::add);
				scraped.add(EtcdMemberMetrics.of(endpoint.toString(), samples));
			}
			catch (Exception ex) {
				failures.add(new EtcdEndpointFailure(endpoint.toString(), EtcdFailures.of(ex, this.timeout)));
			}
		});
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
	 * Waits no longer than what is left of the read's deadline; a late answer is
	 * cancelled.
	 */
	private <T> T await(Future<T> future) throws Exception {
		try {
			return future.get(Math.max(0, this.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw ex;
		}
	}

}
