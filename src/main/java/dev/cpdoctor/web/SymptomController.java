package dev.cpdoctor.web;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.troubleshoot.Diagnoser;
import dev.cpdoctor.troubleshoot.Facts;
import dev.cpdoctor.troubleshoot.NetworkCheck;
import dev.cpdoctor.troubleshoot.Symptom;
import dev.cpdoctor.troubleshoot.SymptomTable;

/**
 * One page per row of the symptom table: the checklist with the audit page's panels
 * embedded (for the symptoms whose causes include excessive calls) or the webhook panel
 * (for webhook failures), then each cause with its verdict, evidence and remedies from
 * the {@link Diagnoser}; cause 1 with a chart of the dashboard's own calls to the
 * apiserver over the window. Cluster, window and selected user agent come from the URL as
 * on every page, and so does the namespace cause 2's remedies act on (a form next to them
 * sets it).
 */
@Controller
class SymptomController {

	static final String VIEW = "troubleshoot/symptom";

	private final Diagnoser diagnoser;

	private final ClusterSources sources;

	private final WebhookSource webhooks;

	private final ChartJson charts;

	private final SourceExecutor panels;

	SymptomController(Diagnoser diagnosis, ClusterSources sources, ChartJson charts, SourceExecutor panels) {
		this.diagnoser = diagnosis;
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
		boolean auditSteps = chosen.causes()
			.stream()
			.anyMatch((c) -> c.number() == SymptomTable.EXCESSIVE_CALLS.number());
		boolean webhookSteps = chosen.causes()
			.stream()
			.anyMatch((c) -> c.number() == SymptomTable.WEBHOOK_DEADLOCK.number());
		boolean networkSteps = chosen.causes()
			.stream()
			.anyMatch((c) -> c.number() == SymptomTable.NETWORK_RULES.number());
		model.addAttribute("auditSteps", auditSteps);
		model.addAttribute("webhookSteps", webhookSteps);
		// The checklist's questions go out first and run while the diagnosis asks its
		// own.
		AuditQuestions questions = auditSteps
				? AuditQuestions.ask(this.panels, this.sources.inForm(view.documented()), view) : null;
		CompletableFuture<SourceResult<List<AdmissionWebhook>>> hooks = webhookSteps
				? this.panels.ask(() -> this.webhooks.webhooks(view.cluster())) : null;
		// The diagnosis's facts: cause 1's own call history is asked once, for its
		// verdict and for the chart beside it.
		Facts facts = this.diagnoser.facts(view.cluster(), view.window());
		CompletableFuture<SourceResult<CallHistory>> ownCalls = networkSteps ? facts.ask(NetworkCheck.OWN_CALLS) : null;
		model.addAttribute("diagnosis", this.diagnoser.diagnose(facts, chosen, view.namespace()));
		if (ownCalls != null) {
			SourceResult<CallHistory> calls = ownCalls.join();
			model.addAttribute("ownCalls", calls);
			if (calls.ok() && calls.value().any()) {
				model.addAttribute("ownCallsJson", this.charts.ownCalls(calls.value()));
			}
		}
		if (questions != null) {
			questions.addTo(model, this.charts);
		}
		if (webhookSteps) {
			model.addAttribute("webhooks", hooks.join());
		}
		return VIEW;
	}

}
