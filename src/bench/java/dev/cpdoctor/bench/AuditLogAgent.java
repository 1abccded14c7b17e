package dev.cpdoctor.bench;

import java.util.List;

import dev.cpdoctor.bench.AuditLogModel.Identity;
import dev.cpdoctor.bench.AuditLogModel.Op;

import static dev.cpdoctor.bench.AuditLogGenerator.ascii;

/**
 * One client of the generated cluster: its user agent, the identities it runs as, the
 * requests it makes with their weights, how many it makes in a burst, how slow and how
 * error-prone it is, and the authorization annotations of its events.
 */
final class AuditLogAgent {

	final String userAgent;

	final Identity[] identities;

	final Op[] ops;

	final double[] opCumulative;

	final double burstMean;

	final double latencyFactor;

	final byte[] annotations;

	final double errorScale;

	AuditLogAgent(String userAgent, Identity[] identities, List<Op> ops, double burstMean, double latencyFactor,
			String reason, double errorScale) {
		this.userAgent = userAgent;
		this.identities = identities;
		this.ops = ops.toArray(Op[]::new);
		this.opCumulative = new double[this.ops.length];
		double sum = 0;
		for (int i = 0; i < this.ops.length; i++) {
			sum += this.ops[i].weight();
			this.opCumulative[i] = sum;
		}
		for (int i = 0; i < this.ops.length; i++) {
			this.opCumulative[i] /= sum;
		}
		this.burstMean = burstMean;
		this.latencyFactor = latencyFactor;
		this.annotations = ascii(",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\","
				+ "\"authorization.k8s.io/reason\":\"" + reason.replace("\"", "\\\"") + "\"}");
		this.errorScale = errorScale;
	}

	Op pick(double u) {
		for (int i = 0; i < this.opCumulative.length; i++) {
			if (u < this.opCumulative[i]) {
				return this.ops[i];
			}
		}
		return this.ops[this.ops.length - 1];
	}

}
