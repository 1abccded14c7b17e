package dev.cpdoctor.web;

import java.time.Duration;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.source.AuditAnalytics;

/** The high-latency checklist: top user agents, their latency over time, P99 by verb and resource. */
@Controller
class AuditController {

	static final String VIEW = "audit/audit";

	static final int TOP_USER_AGENTS = 10;

	static final int TOP_SERIES = 8;

	private final AuditAnalytics audit;

	private final ChartJson charts;

	AuditController(AuditAnalytics audit, ChartJson charts) {
		this.audit = audit;
		this.charts = charts;
	}

	@GetMapping("/audit")
	String audit(ViewState view, Model model) {
		model.addAttribute("view", view);
		model.addAttribute("page", "audit");
		Panel<List<UserAgentRequests>> top = Panel.of(this.audit.topUserAgents(view.cluster(), view.window(), TOP_USER_AGENTS));
		model.addAttribute("top", top);
		if (top.ok()) {
			model.addAttribute("topJson", this.charts.topUserAgents(top.value()));
		}
		Duration bin = Bins.forWindow(view.window());
		model.addAttribute("bin", bin);
		Panel<List<UserAgentLatency>> latency = Panel.of(this.audit.latency(view.cluster(), view.window(), bin, TOP_SERIES));
		model.addAttribute("latency", latency);
		if (latency.ok()) {
			model.addAttribute("latencyJson", this.charts.latency(latency.value()));
		}
		if (view.userAgent() != null) {
			Panel<List<VerbResourceLatency>> p99 = Panel
				.of(this.audit.p99ByVerbAndResource(view.cluster(), view.window(), view.userAgent()));
			model.addAttribute("p99", p99);
		}
		return VIEW;
	}

}
