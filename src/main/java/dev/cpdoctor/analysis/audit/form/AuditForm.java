package dev.cpdoctor.analysis.audit.form;

/**
 * The forms of audit log an SRE may hold, as {@link AuditForms} recognises them from the
 * content: what the import report and the logs name.
 */
public enum AuditForm {

	/** audit.k8s.io Events one per line: the apiserver's log backend. */
	EVENT_LINES("audit.k8s.io Events, one per line (log backend)"),

	/** audit.k8s.io Events as JSON documents, pretty-printed or concatenated. */
	EVENT_DOCUMENTS("audit.k8s.io Events as JSON documents"),

	/** audit.k8s.io EventList: the apiserver's webhook backend. */
	EVENT_LIST("audit.k8s.io EventList (webhook backend)"),

	/** gzip around any other form (a layer of its own, possibly nested). */
	GZIP("gzip"),

	/** {@code aws logs filter-log-events} / {@code get-log-events}: events[].message. */
	CLOUDWATCH_EVENTS("EKS CloudWatch Logs events (aws logs filter-log-events / get-log-events)"),

	/** {@code aws logs get-query-results}: results[][] of field and value. */
	LOGS_INSIGHTS("EKS CloudWatch Logs Insights results (aws logs get-query-results)"),

	/** CloudWatch Logs export to S3: {@code <ISO-8601 timestamp> <event>} per line. */
	CLOUDWATCH_EXPORT("EKS CloudWatch Logs export to S3"),

	/** A CloudWatch Logs subscription filter's payload: logEvents[].message. */
	CLOUDWATCH_SUBSCRIPTION("EKS CloudWatch Logs subscription payload"),

	/** An Amazon Data Firehose HTTP endpoint delivery: records[].data in base64. */
	FIREHOSE("EKS Amazon Data Firehose HTTP endpoint delivery"),

	/** A diagnostic setting's export to a storage account: one record per line. */
	AZURE_STORAGE("AKS diagnostic logs in a storage account (PT1H.json)"),

	/** A diagnostic setting's Event Hubs messages and captures: {"records":[...]}. */
	AZURE_EVENT_HUBS("AKS diagnostic logs from Event Hubs (records)"),

	/** Log Analytics AKSAudit rows exported as JSON. */
	AKS_AUDIT_JSON("AKS Log Analytics AKSAudit rows (JSON)"),

	/** Log Analytics AKSAudit rows exported as CSV. */
	AKS_AUDIT_CSV("AKS Log Analytics AKSAudit rows (CSV)"),

	/** Log Analytics AzureDiagnostics rows (log_s) exported as JSON. */
	AZURE_DIAGNOSTICS_JSON("AKS Log Analytics AzureDiagnostics rows (JSON)"),

	/** Log Analytics AzureDiagnostics rows (log_s) exported as CSV. */
	AZURE_DIAGNOSTICS_CSV("AKS Log Analytics AzureDiagnostics rows (CSV)");

	private final String displayName;

	AuditForm(String displayName) {
		this.displayName = displayName;
	}

	public String displayName() {
		return this.displayName;
	}

}
