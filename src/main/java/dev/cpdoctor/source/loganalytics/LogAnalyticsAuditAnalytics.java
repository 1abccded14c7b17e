package dev.cpdoctor.source.loganalytics;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.models.LogsQueryOptions;
import com.azure.monitor.query.models.LogsQueryResult;
import com.azure.monitor.query.models.LogsQueryResultStatus;
import com.azure.monitor.query.models.LogsTableCell;
import com.azure.monitor.query.models.LogsTableRow;
import com.azure.monitor.query.models.QueryTimeInterval;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.QueryText;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.Parameters;
import dev.cpdoctor.source.loganalytics.KqlQueries.Question;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;

/**
 * The three audit questions of one AKS cluster as KQL on its Log Analytics workspace,
 * through the azure-monitor-query SDK. SDK types stay in this class: it answers with the
 * same records as every audit source. A partial result is shown with a warning; a failure
 * is a value with the service's own message (a KQL error, throttling, a server timeout).
 */
public final class LogAnalyticsAuditAnalytics implements AuditAnalytics, QueryText {

	private final LogsQueryClient client;

	private final String workspaceId;

	/**
	 * The configured table, or null for auto: detected on first use and then remembered.
	 */
	private final TableMode configuredMode;

	/**
	 * The detected table, shared by both forms of a cluster so they (and Show KQL) agree.
	 */
	private final AtomicReference<TableMode> detectedMode;

	private final String clusterResourceId;

	private final Form form;

	private final Duration serverTimeout;

	/**
	 * @param mode the table holding the cluster's audit events, or null to detect it
	 * @param clusterResourceId the AKS cluster's resource id, to filter a shared
	 * workspace; null for all
	 */
	public LogAnalyticsAuditAnalytics(LogsQueryClient client, String workspaceId, TableMode mode,
			String clusterResourceId, Form form, Duration serverTimeout) {
		this(client, workspaceId, mode, clusterResourceId, form, serverTimeout, new AtomicReference<>());
	}

	/**
	 * The other form of the same cluster's questions, sharing its client and detected
	 * table.
	 */
	public LogAnalyticsAuditAnalytics inForm(Form other) {
		return new LogAnalyticsAuditAnalytics(this.client, this.workspaceId, this.configuredMode,
				this.clusterResourceId, other, this.serverTimeout, this.detectedMode);
	}

	private LogAnalyticsAuditAnalytics(LogsQueryClient client, String workspaceId, TableMode mode,
			String clusterResourceId, Form form, Duration serverTimeout, AtomicReference<TableMode> detectedMode) {
		this.detectedMode = detectedMode;
		this.client = client;
		this.workspaceId = workspaceId;
		this.configuredMode = mode;
		this.clusterResourceId = clusterResourceId;
		this.form = form;
		this.serverTimeout = serverTimeout;
	}

	@Override
	public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
		return ask(window, Question.TOP_USER_AGENTS, Parameters.top(window, this.clusterResourceId, limit),
				(rows) -> rows.stream()
					.map((row) -> new UserAgentRequests(string(row, "UserAgent"), longValue(row, "requests")))
					.toList());
	}

	@Override
	public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin, int topN) {
		return ask(window, Question.LATENCY, Parameters.latency(window, this.clusterResourceId, topN, bin),
				(rows) -> series(rows, window, bin));
	}

	@Override
	public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
			String userAgent) {
		return ask(window, Question.P99, Parameters.p99(window, this.clusterResourceId, userAgent), (rows) -> rows
			.stream()
			.map((row) -> new VerbResourceLatency(string(row, "Verb"), string(row, "Resource"),
					cell(row, "p99Ms").map(LogsTableCell::getValueAsDouble).orElse(null), longValue(row, "requests")))
			.toList());
	}

	private <T> SourceResult<T> ask(TimeWindow window, Question question, Parameters parameters,
			Function<List<LogsTableRow>, T> mapper) {
		TableMode mode = this.configuredMode;
		List<String> warnings = new ArrayList<>();
		if (mode == null) {
			SourceResult<TableMode> detected = detect(window);
			if (detected instanceof SourceResult.Failed<TableMode> failed) {
				return SourceResult.failed(failed.reason());
			}
			SourceResult.Ok<TableMode> ok = (SourceResult.Ok<TableMode>) detected;
			mode = ok.value();
			warnings.addAll(ok.warnings());
		}
		SourceResult<T> answer = query(KqlQueries.render(question, this.form, mode, parameters), window, mapper);
		if (answer instanceof SourceResult.Ok<T> ok && !warnings.isEmpty()) {
			warnings.addAll(ok.warnings());
			return new SourceResult.Ok<>(ok.value(), warnings);
		}
		return answer;
	}

	/**
	 * Which table holds the cluster's audit events (DOMAIN.md: if one mode returns
	 * nothing, the other is probably in use). A found table is remembered; nothing found
	 * is not.
	 */
	SourceResult<TableMode> detect(TimeWindow window) {
		TableMode remembered = this.detectedMode.get();
		if (remembered != null) {
			return SourceResult.ok(remembered);
		}
		SourceResult<List<String>> kinds = query(KqlQueries.detection(window, this.clusterResourceId), window,
				(rows) -> rows.stream().map((row) -> string(row, "Kind")).toList());
		if (kinds instanceof SourceResult.Failed<List<String>> failed) {
			return SourceResult.failed(failed.reason());
		}
		List<String> found = ((SourceResult.Ok<List<String>>) kinds).value();
		if (found.contains("aks-audit") || found.contains("kube-audit")) {
			TableMode mode = found.contains("aks-audit") ? TableMode.AKS_AUDIT : TableMode.AZURE_DIAGNOSTICS;
			this.detectedMode.set(mode);
			return SourceResult.ok(mode);
		}
		if (found.contains("aks-audit-admin") || found.contains("kube-audit-admin")) {
			return SourceResult.failed("Only kube-audit-admin is collected for this cluster: it drops get and list,"
					+ " which hides exactly the LIST-heavy clients. Enable the kube-audit category in the cluster's"
					+ " diagnostic setting.");
		}
		return new SourceResult.Ok<>(TableMode.AKS_AUDIT, List.of("No audit events of this cluster in either AKSAudit"
				+ " or AzureDiagnostics (kube-audit) in this window: is the diagnostic setting sending kube-audit here?"));
	}

	@Override
	public String topUserAgents(TimeWindow window, int limit, boolean documented) {
		return kql(Question.TOP_USER_AGENTS, Parameters.top(window, this.clusterResourceId, limit), documented);
	}

	@Override
	public String latency(TimeWindow window, Duration bin, int top, boolean documented) {
		return kql(Question.LATENCY, Parameters.latency(window, this.clusterResourceId, top, bin), documented);
	}

	@Override
	public String p99(TimeWindow window, String userAgent, boolean documented) {
		return kql(Question.P99, Parameters.p99(window, this.clusterResourceId, userAgent), documented);
	}

	/**
	 * The KQL a question sends in the configured or detected table: exactly what goes
	 * out.
	 */
	private String kql(Question question, Parameters parameters, boolean documented) {
		TableMode mode = (this.configuredMode != null) ? this.configuredMode
				: (this.detectedMode.get() != null) ? this.detectedMode.get() : TableMode.AKS_AUDIT;
		return KqlQueries.render(question, documented ? Form.DOCUMENTED : Form.CORRECTED, mode, parameters);
	}

	private <T> SourceResult<T> query(String kql, TimeWindow window, Function<List<LogsTableRow>, T> mapper) {
		QueryTimeInterval interval = new QueryTimeInterval(OffsetDateTime.ofInstant(window.from(), ZoneOffset.UTC),
				OffsetDateTime.ofInstant(window.to(), ZoneOffset.UTC));
		LogsQueryOptions options = new LogsQueryOptions().setServerTimeout(this.serverTimeout)
			.setAllowPartialErrors(true);
		try {
			Response<LogsQueryResult> response = this.client.queryWorkspaceWithResponse(this.workspaceId, kql, interval,
					options, Context.NONE);
			LogsQueryResult result = response.getValue();
			if (result.getQueryResultStatus() == LogsQueryResultStatus.FAILURE) {
				return SourceResult.failed("Log Analytics could not answer: " + errorMessage(result));
			}
			List<LogsTableRow> rows = (result.getTable() != null) ? result.getTable().getRows() : List.of();
			T value = mapper.apply(rows);
			if (result.getQueryResultStatus() == LogsQueryResultStatus.PARTIAL_FAILURE) {
				return new SourceResult.Ok<>(value, List.of("Partial result: " + errorMessage(result)));
			}
			return SourceResult.ok(value);
		}
		catch (HttpResponseException ex) {
			int status = (ex.getResponse() != null) ? ex.getResponse().getStatusCode() : 0;
			String hint = switch (status) {
				case 400 -> "the query was refused";
				case 403 -> "the identity lacks Log Analytics Reader on the workspace";
				case 429 -> "Log Analytics is throttling; try again shortly";
				case 504 -> "the query ran past the server timeout of " + this.serverTimeout + "; narrow the window";
				default -> "HTTP " + status;
			};
			return SourceResult.failed("Log Analytics: " + hint + ": " + SourceResult.firstLine(ex.getMessage()));
		}
		catch (RuntimeException ex) {
			return SourceResult
				.failed("Log Analytics query failed: " + SourceResult.firstLine(String.valueOf(ex.getMessage())));
		}
	}

	/**
	 * Rows of (UserAgent, others, at, avgMs, requests) into one series per user agent,
	 * every bin present.
	 */
	private static List<UserAgentLatency> series(List<LogsTableRow> rows, TimeWindow window, Duration bin) {
		int bins = (int) Math.ceil((double) window.length().toMillis() / bin.toMillis());
		record Key(String userAgent, boolean others) {
		}
		Map<Key, LatencyPoint[]> byUserAgent = new LinkedHashMap<>();
		for (LogsTableRow row : rows) {
			boolean others = cell(row, "others").map(LogsTableCell::getValueAsBoolean).orElse(false);
			Key key = new Key(others ? AuditRollup.OTHER : string(row, "UserAgent"), others);
			Instant at = cell(row, "at").map(LogsTableCell::getValueAsDateTime)
				.map(OffsetDateTime::toInstant)
				.orElse(null);
			if (at == null || at.isBefore(window.from())) {
				continue;
			}
			int index = (int) ((at.toEpochMilli() - window.from().toEpochMilli()) / bin.toMillis());
			if (index >= bins) {
				continue;
			}
			LatencyPoint[] points = byUserAgent.computeIfAbsent(key, (k) -> new LatencyPoint[bins]);
			points[index] = new LatencyPoint(window.from().plusMillis(index * bin.toMillis()),
					cell(row, "avgMs").map(LogsTableCell::getValueAsDouble).orElse(null), longValue(row, "requests"));
		}
		List<UserAgentLatency> series = new ArrayList<>();
		byUserAgent.forEach((key, points) -> {
			List<LatencyPoint> filled = new ArrayList<>(bins);
			for (int i = 0; i < bins; i++) {
				filled.add((points[i] != null) ? points[i]
						: new LatencyPoint(window.from().plusMillis(i * bin.toMillis()), null, 0));
			}
			series.add(new UserAgentLatency(key.userAgent(), key.others(), filled));
		});
		series.sort((a, b) -> Boolean.compare(a.others(), b.others()));
		return series;
	}

	private static Optional<LogsTableCell> cell(LogsTableRow row, String column) {
		return row.getColumnValue(column).filter((c) -> c.getValueAsString() != null);
	}

	private static String string(LogsTableRow row, String column) {
		return cell(row, column).map(LogsTableCell::getValueAsString).orElse("");
	}

	private static long longValue(LogsTableRow row, String column) {
		return cell(row, column).map(LogsTableCell::getValueAsLong).orElse(0L);
	}

	private static String errorMessage(LogsQueryResult result) {
		return (result.getError() != null) ? result.getError().getMessage() : "no reason given";
	}

}
