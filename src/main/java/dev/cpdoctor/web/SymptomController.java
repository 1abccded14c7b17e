package dev.cpdoctor.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.troubleshoot.Symptom;
import dev.cpdoctor.troubleshoot.SymptomTable;

/**
 * One page per row of the symptom table: the checklist with the audit page's panels embedded (for
 * the symptoms whose causes include excessive calls) or the webhook panel (for webhook failures),
 * then each cause with its verdict, evidence and remedies from the {@link DiagnosisService}.
 * Cluster, window and selected user agent come from the URL as on every page.
 */
@Controller
class SymptomController {

	static final String VIEW = "troubleshoot/symptom";

	private final DiagnosisService diagnosis;

	private final ClusterSources sources;

	private final WebhookSource webhooks;

	private final ChartJson charts;

	private final PanelExecutor panels;

	SymptomController(DiagnosisService diagnosis, ClusterSources sources, ChartJson charts, PanelExecutor panels) {
		this.diagnosis = diagnosis;
		this.sources = sources;
		this.webhooks = sources;
		this.charts = charts;
		this.panels = panels;
	}

	@GetMapping("/troubleshoot/{symptom}")
	String symptom(@PathVariable String symptom, ViewState view, Model model) {
		Symptom chosen = SymptomTable.find(symptom)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown symptom '" + symptom + "'"));
		String path = "/troubleshoot/" + chosen.id();
		model.addAttribute("view", view);
		model.addAttribute("page", "troubleshoot");
		model.addAttribute("pagePath", path);
		model.addAttribute("auditPath", path);
		model.addAttribute("symptom", chosen);
		boolean auditSteps = chosen.causes().stream().anyMatch((c) -> c.number() == SymptomTable.EXCESSIVE_CALLS.number());
		boolean webhookSteps = chosen.causes().stream().anyMatch((c) -> c.number() == SymptomTable.WEBHOOK_DEADLOCK.number());
		model.addAttribute("auditSteps", auditSteps);
		model.addAttribute("webhookSteps", webhookSteps);
		// The checklist's questions go out first and run while the diagnosis asks its own.
		AuditAnalytics audit = this.sources.inForm(view.documented());
		Duration bin = Bins.forWindow(view.window());
		CompletableFuture<Panel<List<UserAgentRequests>>> top = auditSteps ? this.panels.ask(() -> Panel
			.of(audit.topUserAgents(view.cluster(), view.window(), AuditController.TOP_USER_AGENTS))) : null;
		CompletableFuture<Panel<List<UserAgentLatency>>> latency = auditSteps ? this.panels
			.ask(() -> Panel.of(audit.latency(view.cluster(), view.window(), bin, AuditController.TOP_SERIES))) : null;
		CompletableFuture<Panel<List<VerbResourceLatency>>> p99 = (auditSteps && view.userAgent() != null)
				? this.panels.ask(() -> Panel.of(audit.p99ByVerbAndResource(view.cluster(), view.window(), view.userAgent())))
				: null;
		CompletableFuture<Panel<List<AdmissionWebhook>>> hooks = webhookSteps
				? this.panels.ask(() -> Panel.of(this.webhooks.webhooks(view.cluster()))) : null;
		model.addAttribute("diagnosis", this.diagnosis.diagnose(view.cluster(), chosen, view.window()));
		if (auditSteps) {
			model.addAttribute("bin", bin);
			Panel<List<UserAgentRequests>> topPanel = top.join();
			model.addAttribute("top", topPanel);
			if (topPanel.ok()) {
				model.addAttribute("topJson", this.charts.topUserAgents(topPanel.value()));
			}
			Panel<List<UserAgentLatency>> latencyPanel = latency.join();
			model.addAttribute("latency", latencyPanel);
			if (latencyPanel.ok()) {
				model.addAttribute("latencyJson", this.charts.latency(latencyPanel.value()));
			}
			if (p99 != null) {
				model.addAttribute("p99", p99.join());
			}
		}
		if (webhookSteps) {
			model.addAttribute("webhooks", hooks.join());
		}
		return VIEW;
	}

}
