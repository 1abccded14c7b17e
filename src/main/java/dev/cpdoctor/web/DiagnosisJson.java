package dev.cpdoctor.web;

import java.util.List;

import dev.cpdoctor.troubleshoot.CauseDiagnosis;
import dev.cpdoctor.troubleshoot.Diagnosis;

/**
 * The diagnosis JSON (docs/api.md): a symptom checked on one cluster over a window, each
 * cause with its verdict, evidence and remedies.
 *
 * @param namespace the namespace cause 2's remedies were written for; null for none
 */
public record DiagnosisJson(String cluster, String symptom, String title, String from, String to, String namespace,
		List<CauseJson> causes) {

	public record EvidenceJson(String text, String source, Double value, String link) {
	}

	public record RemedyJson(String summary, String kind, String text, List<String> warnings) {
	}

	public record CauseJson(int id, String title, String verdict, List<EvidenceJson> evidence,
			List<RemedyJson> remedies) {
	}

	public static DiagnosisJson of(Diagnosis diagnosis) {
		return of(diagnosis, null);
	}

	public static DiagnosisJson of(Diagnosis diagnosis, String namespace) {
		return new DiagnosisJson(diagnosis.cluster(), diagnosis.symptom().id(), diagnosis.symptom().title(),
				diagnosis.window().from().toString(), diagnosis.window().to().toString(), namespace,
				diagnosis.causes().stream().map(DiagnosisJson::cause).toList());
	}

	private static CauseJson cause(CauseDiagnosis cause) {
		return new CauseJson(cause.id(), cause.title(), cause.verdict().name(),
				cause.evidence()
					.stream()
					.map((e) -> new EvidenceJson(e.text(), e.source(), e.value(), e.link()))
					.toList(),
				cause.remedies()
					.stream()
					.map((r) -> new RemedyJson(r.summary(), r.kind().name(), r.text(), r.warnings()))
					.toList());
	}

}
