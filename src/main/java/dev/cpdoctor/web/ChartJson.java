package dev.cpdoctor.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentLabel;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.network.CallHistory;

/**
 * The JSON that pages embed (in data- attributes, escaped by Thymeleaf) for
 * frontend/js/charts.js to draw. Times are epoch milliseconds, sizes bytes, latencies
 * milliseconds.
 */
final class ChartJson {

	/** The forecast line is drawn up to the quota, but no further out than this. */
	static final double FORECAST_MAX_DAYS = 60;

	/** How far a forecast that never reaches the quota is drawn. */
	static final double FORECAST_FLAT_DAYS = 14;

	private final JsonMapper json;

	ChartJson(JsonMapper json) {
		this.json = json;
	}

	String gauge(EtcdUsage usage) {
		Map<String, Object> gauge = new LinkedHashMap<>();
		gauge.put("used", usage.dbSizeBytes());
		gauge.put("quota", usage.quotaBytes());
		gauge.put("fraction", usage.usedFraction());
		gauge.put("band", usage.band().name());
		return write(gauge);
	}

	String latency(List<UserAgentLatency> series) {
		List<Map<String, Object>> out = new ArrayList<>();
		for (UserAgentLatency s : series) {
			List<Object[]> points = new ArrayList<>(s.points().size());
			for (LatencyPoint p : s.points()) {
				points.add(new Object[] { p.at().toEpochMilli(), p.avgMs(), p.requests() });
			}
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("label", s.others() ? s.userAgent() : UserAgentLabel.of(s.userAgent()));
			entry.put("others", s.others());
			entry.put("points", points);
			out.add(entry);
		}
		return write(Map.of("series", out));
	}

	/**
	 * The own calls per bin: [start ms, calls, network failures, HTTP errors, p50 ms, max
	 * ms] (the durations null in a bin without calls), and the bin length in ms.
	 */
	String ownCalls(CallHistory history) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("bin", CallHistory.binFor(history.window()).toMillis());
		out.put("points",
				history.bins()
					.stream()
					.map((b) -> new Object[] { b.from().toEpochMilli(), b.calls(), b.networkFailures(), b.httpErrors(),
							b.p50Millis(), b.maxMillis() })
					.toList());
		return write(out);
	}

	String topUserAgents(List<UserAgentRequests> rows) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("labels", rows.stream().map((r) -> UserAgentLabel.of(r.userAgent())).toList());
		// What a click on a bar selects: the user agent itself ("" for none).
		out.put("userAgents", rows.stream().map(UserAgentRequests::userAgent).toList());
		out.put("values", rows.stream().map(UserAgentRequests::requests).toList());
		return write(out);
	}

	String growth(EtcdGrowth growth, long quotaBytes) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("points",
				growth.points().stream().map((p) -> new Object[] { p.at().toEpochMilli(), p.dbSizeBytes() }).toList());
		out.put("quota", quotaBytes);
		if (growth.bytesPerDay() != null && growth.fittedBytesAtLast() != null) {
			// The dashed line is the fitted line itself: it meets the quota exactly where
			// "days to quota" says.
			EtcdGrowth.SizePoint last = growth.points().get(growth.points().size() - 1);
			double days = (growth.daysToQuota() != null) ? Math.min(growth.daysToQuota(), FORECAST_MAX_DAYS)
					: FORECAST_FLAT_DAYS;
			long startMillis = last.at().toEpochMilli();
			long endMillis = startMillis + Math.round(days * 86_400_000L);
			double endBytes = growth.fittedBytesAtLast() + growth.bytesPerDay() * days;
			out.put("forecast", List.of(new Object[] { startMillis, Math.round(growth.fittedBytesAtLast()) },
					new Object[] { endMillis, Math.round(endBytes) }));
		}
		return write(out);
	}

	private String write(Object value) {
		return this.json.writeValueAsString(value);
	}

}
