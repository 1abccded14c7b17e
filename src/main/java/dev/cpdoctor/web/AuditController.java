package dev.cpdoctor.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.auditlog.AuditReceivers;

/** The high-latency checklist: top user agents, their latency over time, P99 by verb and resource. */
@Controller
class AuditController {

	static final String VIEW = "audit/audit";

	static final int TOP_USER_AGENTS = 10;

	static final int TOP_SERIES = 8;

	private final ClusterSources sources;

	private final ChartJson charts;

	private final PanelExecutor panels;

	private final AuditReceivers receivers;

	AuditController(ClusterSources sources, ChartJson charts, PanelExecutor panels, AuditReceivers receivers) {
		this.sources = sources;
		this.receivers = receivers;
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
		Duration bin = Bins.forWindow(view.window());
		// The three questions at once: a page costs its slowest question, not their sum.
		CompletableFuture<Panel<List<UserAgentRequests>>> topAsked = this.panels
			.ask(() -> Panel.of(audit.topUserAgents(view.cluster(), view.window(), TOP_USER_AGENTS)));
		CompletableFuture<Panel<List<UserAgentLatency>>> latencyAsked = this.panels
			.ask(() -> Panel.of(audit.latency(view.cluster(), view.window(), bin, TOP_SERIES)));
		CompletableFuture<Panel<List<VerbResourceLatency>>> p99Asked = (view.userAgent() != null) ? this.panels
			.ask(() -> Panel.of(audit.p99ByVerbAndResource(view.cluster(), view.window(), view.userAgent()))) : null;
		this.receivers.quality(view.cluster().name())
			.ifPresent((quality) -> model.addAttribute("quality", Panel.of(quality)));
		Panel<List<UserAgentRequests>> top = topAsked.join();
		model.addAttribute("top", top);
		if (top.ok()) {
			model.addAttribute("topJson", this.charts.topUserAgents(top.value()));
		}
		model.addAttribute("bin", bin);
		Panel<List<UserAgentLatency>> latency = latencyAsked.join();
		model.addAttribute("latency", latency);
		if (latency.ok()) {
			model.addAttribute("latencyJson", this.charts.latency(latency.value()));
		}
		if (view.userAgent() != null) {
			Panel<List<VerbResourceLatency>> p99 = p99Asked.join();
			model.addAttribute("p99", p99);
		}
		// After the answers: a detected table is known by now, so the text is what was sent.
		this.sources.queryText(view.cluster()).ifPresent((text) -> {
			Map<String, String> kql = new LinkedHashMap<>();
			kql.put("1. Top user agents", text.topUserAgents(view.window(), TOP_USER_AGENTS, view.documented()));
			kql.put("2. Average latency per user agent", text.latency(view.window(), bin, TOP_SERIES, view.documented()));
			if (view.userAgent() != null) {
				kql.put("3. P99 by verb and resource", text.p99(view.window(), view.userAgent(), view.documented()));
			}
			model.addAttribute("kql", kql);
		});
		return VIEW;
	}

}
