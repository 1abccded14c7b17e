package dev.cpdoctor.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.SourceResult;

/**
 * The data-quality panel as JSON (documented in README.md), for clusters whose audit
 * events come by webhook or log file: events kept and refused over the last 24 hours by
 * arrival, each reason with its first offending input (escaped, cut to 200 characters),
 * the last webhook batch that held no usable event, and the receiver's and tailer's
 * status.
 */
@RestController
@RequestMapping(path = "/api/v1/clusters/{name}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditQualityApiController {

	/**
	 * @param hours how far back by arrival the counts reach
	 * @param biggest the reason that refused the most events, else the most frequent
	 * repair; null when none
	 */
	record QualityJson(String cluster, int hours, long kept, long refused, long repaired,
			AuditDataQuality.Reason biggest, List<AuditDataQuality.Reason> reasons,
			AuditDataQuality.UnusableBatch lastUnusableBatch, boolean webhookOpen, AuditDataQuality.Ingest ingest,
			AuditDataQuality.Tailer tailer) {
	}

	private final AuditIntake intake;

	private final ViewStateResolver views;

	AuditQualityApiController(AuditIntake intake, WebConfiguration web) {
		this.intake = intake;
		this.views = web.viewStateResolver();
	}

	@GetMapping("/data-quality")
	QualityJson quality(@PathVariable String name) {
		String cluster = this.views.resolve(name, null, null, null, null).cluster().name();
		SourceResult<AuditDataQuality> result = this.intake.quality(cluster)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Cluster '" + cluster
					+ "' takes no audit events by webhook or log file: the data-quality panel is theirs"));
		if (!(result instanceof SourceResult.Ok<AuditDataQuality> ok)) {
			throw new ResponseStatusException(HttpStatus.BAD_GATEWAY,
					((SourceResult.Failed<AuditDataQuality>) result).reason());
		}
		AuditDataQuality q = ok.value();
		return new QualityJson(cluster, AuditDataQuality.HOURS, q.kept(), q.refused(), q.repaired(),
				q.biggest().orElse(null), q.reasons(), q.lastUnusableBatch(), q.webhookOpen(), q.ingest(), q.tailer());
	}

}
