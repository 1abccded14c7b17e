package dev.cpdoctor.web;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.troubleshoot.SymptomTable;

/** The symptom table, its causes in order, and the evidence already at hand. */
@Controller
class TroubleshootController {

	static final String VIEW = "troubleshoot/troubleshoot";

	private final WebhookSource webhooks;

	TroubleshootController(WebhookSource webhooks) {
		this.webhooks = webhooks;
	}

	@GetMapping("/troubleshoot")
	String troubleshoot(ViewState view, Model model) {
		model.addAttribute("view", view);
		model.addAttribute("page", "troubleshoot");
		model.addAttribute("symptoms", SymptomTable.SYMPTOMS);
		SourceResult<List<AdmissionWebhook>> hooks = this.webhooks.webhooks(view.cluster());
		model.addAttribute("webhooks", hooks);
		return VIEW;
	}

}
