package dev.cpdoctor.web;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.SourceResult;

/**
 * The audit JSON API (documented in README.md), the same for every audit source. Without
 * from/to the window is the page's default. A source's failure answers 502 with its
 * reason; its warnings travel in Warning headers.
 */
@RestController
@RequestMapping(path = "/api/v1/clusters/{name}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditApiController {

	static final int MAX_LIMIT = 100;

	record PointJson(String at, Double avgMs, long requests) {
	}

	record SeriesJson(String userAgent, boolean others, List<PointJson> points) {
	}

	record LatencyJson(String cluster, String from, String to, String bin, List<SeriesJson> series) {
	}

	private final AuditAnalytics audit;

	private final ViewStateResolver views;

	AuditApiController(AuditAnalytics audit, WebConfiguration web) {
		this.audit = audit;
		this.views = web.viewStateResolver();
	}

	@GetMapping("/top-user-agents")
	ResponseEntity<List<UserAgentRequests>> topUserAgents(@PathVariable String name,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(defaultValue = "10") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'limit' must be between 1 and " + MAX_LIMIT);
		}
		ViewState view = this.views.resolve(name, from, to, null, null);
		return answer(this.audit.topUserAgents(view.cluster(), view.window(), limit));
	}

	@GetMapping("/latency")
	ResponseEntity<LatencyJson> latency(@PathVariable String name, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "PT5M") String bin,
			@RequestParam(defaultValue = "8") int top) {
		Duration binDuration;
		try {
			binDuration = Duration.parse(bin);
		}
		catch (DateTimeParseException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'bin' must be an ISO-8601 duration such as PT5M");
		}
		ViewState view = this.views.resolve(name, from, to, null, null);
		if (binDuration.compareTo(Duration.ofMinutes(1)) < 0
				|| !binDuration.equals(Duration.ofMinutes(binDuration.toMinutes()))
				|| view.window().length().dividedBy(binDuration) > 10_000) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'bin' must be whole minutes, at least PT1M, and give at most 10,000 bins over the window");
		}
		if (top < 1 || top > MAX_LIMIT) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'top' must be between 1 and " + MAX_LIMIT);
		}
		SourceResult<List<UserAgentLatency>> result = this.audit.latency(view.cluster(), view.window(), binDuration,
				top);
		return answer(result.map((series) -> new LatencyJson(view.cluster().name(), view.window().from().toString(),
				view.window().to().toString(), binDuration.toString(),
				series.stream()
					.map((s) -> new SeriesJson(s.userAgent(), s.others(),
							s.points()
								.stream()
								.map((p) -> new PointJson(p.at().toString(), p.avgMs(), p.requests()))
								.toList()))
					.toList())));
	}

	@GetMapping("/p99")
	ResponseEntity<List<VerbResourceLatency>> p99(@PathVariable String name, @RequestParam String userAgent,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
		ViewState view = this.views.resolve(name, from, to, null, userAgent);
		return answer(this.audit.p99ByVerbAndResource(view.cluster(), view.window(), userAgent));
	}

	private static <T> ResponseEntity<T> answer(SourceResult<T> result) {
		if (result instanceof SourceResult.Ok<T> ok) {
			HttpHeaders headers = new HttpHeaders();
			ok.warnings().forEach((w) -> headers.add(HttpHeaders.WARNING, warning(w)));
			return ResponseEntity.ok().headers(headers).body(ok.value());
		}
		throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, ((SourceResult.Failed<T>) result).reason());
	}

	/**
	 * RFC 7234 warn-code 199 "miscellaneous warning"; quotes and line breaks cannot break
	 * the header.
	 */
	static String warning(String text) {
		String safe = text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", " ");
		return "199 cpdoctor \"" + safe + "\"";
	}

}
