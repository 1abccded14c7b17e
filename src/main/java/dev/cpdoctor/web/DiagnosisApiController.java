package dev.cpdoctor.web;

import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.troubleshoot.Diagnoser;
import dev.cpdoctor.troubleshoot.Symptom;
import dev.cpdoctor.troubleshoot.SymptomTable;

/**
 * The diagnosis JSON API (documented in README.md): a symptom of the symptom table
 * checked on one cluster over a window, each cause with a verdict, its evidence and its
 * remedies. Without from/to the window is the pages' default. {@code namespace} (a
 * DNS-1123 label, else 400) is the namespace cause 2's remedies act on; without it they
 * carry a marked placeholder. A failed source is a cause's UNKNOWN, never an error
 * status.
 */
@RestController
@RequestMapping(path = "/api/v1/clusters/{name}/diagnosis", produces = MediaType.APPLICATION_JSON_VALUE)
class DiagnosisApiController {

	private final Diagnoser diagnosis;

	private final ViewStateResolver views;

	DiagnosisApiController(Diagnoser diagnosis, WebConfiguration web) {
		this.diagnosis = diagnosis;
		this.views = web.viewStateResolver();
	}

	@GetMapping
	DiagnosisJson diagnose(@PathVariable String name, @RequestParam(required = false) String symptom,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String namespace) {
		ViewState view = this.views.resolve(name, from, to, null, null, null, namespace);
		Symptom chosen = SymptomTable.find((symptom != null) ? symptom : "")
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "'symptom' must be one of "
					+ SymptomTable.SYMPTOMS.stream().map(Symptom::id).collect(Collectors.joining(", "))));
		return DiagnosisJson.of(this.diagnosis.diagnose(view.cluster(), chosen, view.window(), view.namespace()),
				view.namespace());
	}

}
