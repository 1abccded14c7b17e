package dev.cpdoctor.analysis.audit.form;

import java.util.List;
import java.util.stream.Collectors;

import dev.cpdoctor.analysis.audit.AuditInputReport;

/**
 * What one input held: the forms detected in it, outermost first (gzip, then what it
 * held, ...), and the events kept and refused per reason.
 */
public record FormRead(List<AuditForm> forms, AuditInputReport report) {

	public FormRead {
		forms = List.copyOf(forms);
	}

	/**
	 * "gzip, EKS CloudWatch Logs subscription payload": for the import report and logs.
	 */
	public String describe() {
		if (this.forms.isEmpty()) {
			return "no known form";
		}
		return this.forms.stream().map(AuditForm::displayName).collect(Collectors.joining(", "));
	}

}
