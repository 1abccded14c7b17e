package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

/**
 * The fixtures of src/test/resources/audit-forms and the events each holds, written out
 * here by hand from the events the fixtures were built from (not read back through the
 * code under test).
 */
public final class FormFixtures {

	/** The fields of an event a test checks. */
	record Expected(String auditId, Stage stage, String verb, String userAgent, String resource, String apiGroup,
			int code, String received, String stageAt) {

		static Expected of(AuditEvent e) {
			return new Expected(e.auditId(), e.stage(), e.verb(), e.userAgent(), e.resource(), e.apiGroup(), e.code(),
					e.requestReceived().toString(), e.stageTimestamp().toString());
		}

		Instant receivedAt() {
			return Instant.parse(this.received);
		}

	}

	private static final String KSM = "kube-state-metrics/v2.13.0 (linux/amd64) kube-state-metrics/7f1e1a2";

	/** EKS: three completed requests, timestamps with microseconds. */
	static final List<Expected> EKS = List.of(
			new Expected("3e8a2f1c-5b0d-4f7e-9a61-0c2d4e6f8a01", Stage.RESPONSE_COMPLETE, "list", KSM, "pods", "", 200,
					"2026-11-22T10:00:01.123456Z", "2026-11-22T10:00:01.234567Z"),
			new Expected("7c1d9e20-8a4b-4c3d-b2e1-9f0a1b2c3d02", Stage.RESPONSE_COMPLETE, "get",
					"kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46", "configmaps", "", 200,
					"2026-11-22T10:00:02.000100Z", "2026-11-22T10:00:02.004200Z"),
			new Expected("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c03", Stage.RESPONSE_COMPLETE, "create", "karpenter/v1.0.6",
					"nodeclaims", "karpenter.sh", 201, "2026-11-22T10:00:03.500Z", "2026-11-22T10:00:03.612345Z"));

	/**
	 * AKS: one request's two stages and another completed request, whole milliseconds.
	 */
	static final List<Expected> AKS = List.of(
			new Expected("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d01", Stage.REQUEST_RECEIVED, "list", KSM, "secrets", "", 0,
					"2026-11-22T11:00:01.100Z", "2026-11-22T11:00:01.100Z"),
			new Expected("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d01", Stage.RESPONSE_COMPLETE, "list", KSM, "secrets", "",
					200, "2026-11-22T11:00:01.100Z", "2026-11-22T11:00:01.450Z"),
			new Expected("c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e02", Stage.RESPONSE_COMPLETE, "update",
					"kube-controller-manager/v1.30.5 (linux/amd64) kubernetes/74e84a9/leader-election", "leases",
					"coordination.k8s.io", 200, "2026-11-22T11:00:02Z", "2026-11-22T11:00:02.007Z"));

	/** A fixture, what it is, and the events it holds in order. */
	record Fixture(String file, List<AuditForm> forms, List<Expected> events) {

		@Override
		public String toString() {
			return this.file;
		}

		byte[] bytes() {
			return FormFixtures.bytes(this.file);
		}

	}

	static final List<Fixture> ALL = List.of(new Fixture("eventlist-v1.json", List.of(AuditForm.EVENT_LIST), EKS),
			new Fixture("events-v1.jsonl", List.of(AuditForm.EVENT_LINES), EKS),
			new Fixture("events-pretty.json", List.of(AuditForm.EVENT_DOCUMENTS), EKS),
			new Fixture("cloudwatch-filter-log-events.json", List.of(AuditForm.CLOUDWATCH_EVENTS), EKS),
			new Fixture("cloudwatch-get-log-events.json", List.of(AuditForm.CLOUDWATCH_EVENTS), EKS),
			new Fixture("logs-insights-results.json", List.of(AuditForm.LOGS_INSIGHTS), EKS),
			new Fixture("cloudwatch-export-s3.txt", List.of(AuditForm.CLOUDWATCH_EXPORT), EKS),
			new Fixture("cloudwatch-subscription.json", List.of(AuditForm.CLOUDWATCH_SUBSCRIPTION), EKS),
			new Fixture("firehose-delivery.json",
					List.of(AuditForm.FIREHOSE, AuditForm.GZIP, AuditForm.CLOUDWATCH_SUBSCRIPTION), EKS),
			new Fixture("firehose-delivery-extracted.json", List.of(AuditForm.FIREHOSE, AuditForm.EVENT_LINES), EKS),
			new Fixture("aks-storage-PT1H.json", List.of(AuditForm.AZURE_STORAGE), AKS),
			new Fixture("aks-event-hubs.json", List.of(AuditForm.AZURE_EVENT_HUBS), AKS),
			new Fixture("aks-aksaudit-rows.json", List.of(AuditForm.AKS_AUDIT_JSON), AKS),
			new Fixture("aks-azurediagnostics-rows.jsonl", List.of(AuditForm.AZURE_DIAGNOSTICS_JSON), AKS),
			new Fixture("aks-aksaudit.csv", List.of(AuditForm.AKS_AUDIT_CSV), AKS),
			new Fixture("aks-aksaudit-portal.csv", List.of(AuditForm.AKS_AUDIT_CSV), AKS),
			new Fixture("aks-azurediagnostics.csv", List.of(AuditForm.AZURE_DIAGNOSTICS_CSV), AKS));

	static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private FormFixtures() {
	}

	static byte[] bytes(String file) {
		try (InputStream in = FormFixtures.class.getResourceAsStream("/audit-forms/" + file)) {
			if (in == null) {
				throw new IllegalArgumentException("no fixture " + file);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** gzip of {@code zeros} zero bytes, compressed in steps (never held expanded). */
	public static byte[] gzipOfZeros(long zeros) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] block = new byte[1024 * 1024];
		try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
			for (long left = zeros; left > 0; left -= block.length) {
				gzip.write(block, 0, (int) Math.min(block.length, left));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	public static byte[] gzip(byte[] bytes) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
