package dev.cpdoctor.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.ui.Model;

import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;

/**
 * The high-latency checklist's three questions, asked at once (a page costs its slowest
 * question, not their sum), and their panels put on a page's model: the Audit page and
 * the symptom pages that embed it.
 *
 * @param p99 null when no user agent is selected
 */
record AuditQuestions(Duration bin, CompletableFuture<SourceResult<List<UserAgentRequests>>> top,
		CompletableFuture<SourceResult<List<UserAgentLatency>>> latency,
		CompletableFuture<SourceResult<List<VerbResourceLatency>>> p99) {

	static final int TOP_USER_AGENTS = 10;

	static final int TOP_SERIES = 8;

	static AuditQuestions ask(SourceExecutor panels, AuditAnalytics audit, ViewState view) {
		Duration bin = Bins.forWindow(view.window());
		return new AuditQuestions(bin,
				panels.ask(() -> audit.topUserAgents(view.cluster(), view.window(), TOP_USER_AGENTS)),
				panels.ask(() -> audit.latency(view.cluster(), view.window(), bin, TOP_SERIES)),
				(view.userAgent() != null)
						? panels.ask(() -> audit.p99ByVerbAndResource(view.cluster(), view.window(), view.userAgent()))
						: null);
	}

	/**
	 * Waits for the answers and adds the panels (and the charts' JSON) the audit
	 * fragments show.
	 */
	void addTo(Model model, ChartJson charts) {
		model.addAttribute("bin", this.bin);
		SourceResult<List<UserAgentRequests>> topPanel = this.top.join();
		model.addAttribute("top", topPanel);
		if (topPanel.ok()) {
			model.addAttribute("topJson", charts.topUserAgents(topPanel.value()));
		}
		SourceResult<List<UserAgentLatency>> latencyPanel = this.latency.join();
		model.addAttribute("latency", latencyPanel);
		if (latencyPanel.ok()) {
			model.addAttribute("latencyJson", charts.latency(latencyPanel.value()));
		}
		if (this.p99 != null) {
			model.addAttribute("p99", this.p99.join());
		}
	}

}
