package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.RunningApp;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.history.AuditRollupQueries;
import dev.cpdoctor.source.AuditDataQuality;

/**
 * One cluster's audit log file as the tailer tests write it, audit.log in a directory of
 * its own (rotation looks at the file's neighbours), and what a running application
 * counted of it. Only this cluster's tailer is polled and asked, so clusters of one
 * application do not see each other's files.
 *
 * @param cluster the cluster whose audit log this is
 * @param dir the directory of the file and its rotated neighbours
 */
record TailedLog(String cluster, Path dir) {

	static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(7200));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * An application's properties for the clusters of these logs: the test polls; the
	 * background poll runs once at start-up and then not for an hour.
	 */
	static Map<String, Object> properties(Path dataDir, TailedLog... logs) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", dataDir.toString());
		for (int i = 0; i < logs.length; i++) {
			properties.put("cpdoctor.clusters[" + i + "].name", logs[i].cluster());
			properties.put("cpdoctor.clusters[" + i + "].audit.log-path", logs[i].file().toString());
		}
		properties.put("cpdoctor.audit.poll-interval", "1h");
		properties.put("cpdoctor.audit.chunk", "64KB");
		return properties;
	}

	/**
	 * Completed requests only (a policy that omits RequestReceived), each line one
	 * request.
	 */
	static List<String> lines(long seed, int count) {
		AuditTraffic traffic = AuditTraffic.random(seed, 2 * count, 6, T0, 60);
		traffic.requests().removeIf(AuditTraffic.Request::longRunning);
		return traffic.requests()
			.stream()
			.limit(count)
			.map((r) -> AuditTraffic.event(r, "ResponseComplete") + "\n")
			.toList();
	}

	/** The file the apiserver writes: audit.log. */
	Path file() {
		return this.dir.resolve("audit.log");
	}

	void append(List<String> lines) throws IOException {
		Files.writeString(file(), String.join("", lines), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	/**
	 * logrotate's copytruncate: copies the file to {@code copy} in its directory, then
	 * truncates it in place, where the apiserver goes on writing.
	 */
	void copytruncate(String copy, CopyOption... options) throws IOException {
		Files.copy(file(), this.dir.resolve(copy), options);
		Files.write(file(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
	}

	/** Polls the file once, then answers the requests stored for the cluster. */
	long counted(RunningApp app) {
		tailer(app).poll();
		List<UserAgentRequests> top = app.bean(AuditRollupQueries.class)
			.userAgentBins(this.cluster, WINDOW, WINDOW.length())
			.topUserAgents(WINDOW, 1000);
		return top.stream().mapToLong(UserAgentRequests::requests).sum();
	}

	AuditLogTailer tailer(RunningApp app) {
		return app.bean(AuditReceivers.class).tailer(this.cluster).orElseThrow();
	}

	AuditDataQuality.Tailer status(RunningApp app) {
		return tailer(app).status();
	}

	/** /actuator/health's audit-ingest indicator of the cluster. */
	String health(RunningApp app) throws Exception {
		String body = app.get("/actuator/health", "Accept", "application/json").body();
		return JSON.readTree(body)
			.at("/components/clusters/components/" + this.cluster + "/components/audit-ingest/status")
			.asString();
	}

}
