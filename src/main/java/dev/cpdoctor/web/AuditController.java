package dev.cpdoctor.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.AuditIntake;

/**
 * The high-latency checklist: top user agents, their latency over time, P99 by verb and
 * resource.
 */
@Controller
class AuditController {

	static final String VIEW = "audit/audit";

	private final ClusterSources sources;

	private final ChartJson charts;

	private final SourceExecutor panels;

	private final AuditIntake intake;

	AuditController(ClusterSources sources, ChartJson charts, SourceExecutor panels, AuditIntake intake) {
		this.sources = sources;
		this.intake = intake;
		this.charts = charts;
		this.panels = panels;
	}

	@GetMapping("/audit")
	String audit(ViewState view, Model model) {
		model.addAttribute("view", view);
		model.addAttribute("page", "audit");
		model.addAttribute("auditPath", "/audit");
		AuditAnalytics audit = this.sources.inForm(view.documented());
		model.addAttribute("documentedAvailable", this.sources.hasDocumentedForm(view.cluster()));
		AuditQuestions questions = AuditQuestions.ask(this.panels, audit, view);
		this.intake.quality(view.cluster().name()).ifPresent((quality) -> model.addAttribute("quality", quality));
		questions.addTo(model, this.charts);
		Duration bin = questions.bin();
		// After the answers: a detected table is known by now, so the text is what was
		// sent.
		this.sources.queryText(view.cluster()).ifPresent((text) -> {
			Map<String, String> kql = new LinkedHashMap<>();
			kql.put("1. Top user agents",
					text.topUserAgents(view.window(), AuditQuestions.TOP_USER_AGENTS, view.documented()));
			kql.put("2. Average latency per user agent",
					text.latency(view.window(), bin, AuditQuestions.TOP_SERIES, view.documented()));
			if (view.userAgent() != null) {
				kql.put("3. P99 by verb and resource", text.p99(view.window(), view.userAgent(), view.documented()));
			}
			model.addAttribute("kql", kql);
		});
		return VIEW;
	}

}
