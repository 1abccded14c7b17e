package dev.cpdoctor.troubleshoot;

import java.util.List;
import java.util.Optional;

import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.FlowSchemaRemedy;
import dev.cpdoctor.troubleshoot.remedy.FlowcontrolVersion;
import dev.cpdoctor.troubleshoot.remedy.Manifests;
import dev.cpdoctor.troubleshoot.remedy.Remediation;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;
import dev.cpdoctor.troubleshoot.remedy.Printable;

/**
 * Which flowcontrol apiVersion the remedy is written in, and why: asked for; else the
 * newest the apiserver serves (API discovery); else, when discovery was not possible, the
 * newest the cluster's last known Kubernetes version serves; else v1. Or none, when the
 * cluster serves none of them.
 */
public sealed interface FlowcontrolVersionChoice {

	/** Written in this version, for this reason (one line, printable ASCII). */
	record Chosen(FlowcontrolVersion version, String reason) implements FlowcontrolVersionChoice {

		public Chosen {
			reason = Printable.line(reason);
		}

		/** The throttle of a request on a cluster, in this version. */
		public FlowSchemaRemedy remedy(String cluster, ThrottleRequest request) {
			return new FlowSchemaRemedy(cluster, request, this.version, this.reason);
		}

	}

	/** The cluster serves no version the remedy is written in. */
	record Unsupported(String reason) implements FlowcontrolVersionChoice {

		public Unsupported {
			reason = Printable.line(reason);
		}

	}

	/**
	 * The APF throttle of a request in the chosen version, ready to copy; advice saying
	 * why when the cluster serves none.
	 */
	default Remediation throttle(String cluster, ThrottleRequest request, Manifests manifests) {
		if (this instanceof Chosen chosen) {
			return chosen.remedy(cluster, request).remediation(manifests);
		}
		return new Remediation("Throttle " + request.subject().describe() + " with API Priority and Fairness: not"
				+ " possible here, " + ((Unsupported) this).reason(), null);
	}

	static Chosen requested(FlowcontrolVersion version) {
		return new Chosen(version, "asked for with ?apiVersion=" + version.version());
	}

	/**
	 * @param discovery the versions of flowcontrol.apiserver.k8s.io the apiserver serves
	 * ("v1", ...; empty when it does not serve the group), or why it could not be asked
	 * @param known the cluster's last known Kubernetes version, if any
	 */
	static FlowcontrolVersionChoice of(SourceResult<List<String>> discovery, Optional<KubernetesVersion> known) {
		if (discovery instanceof SourceResult.Ok<List<String>> ok) {
			List<String> served = ok.value();
			Optional<FlowcontrolVersion> newest = FlowcontrolVersion.newestOf(served);
			if (newest.isPresent()) {
				return new Chosen(newest.get(),
						"the apiserver serves " + String.join(", ", served) + " (API discovery); the newest is used");
			}
			if (served.isEmpty()) {
				return new Unsupported("the apiserver does not serve " + FlowcontrolVersion.GROUP
						+ " (API Priority and Fairness turned off with --enable-priority-and-fairness=false?)");
			}
			return new Unsupported(
					"the apiserver serves only " + String.join(", ", served) + " of " + FlowcontrolVersion.GROUP
							+ "; the remedy is written in v1, v1beta3 or v1beta2 (Kubernetes 1.23 and later)");
		}
		String failure = "no API discovery (" + ((SourceResult.Failed<List<String>>) discovery).reason() + ")";
		if (known.isPresent()) {
			KubernetesVersion version = known.get();
			Optional<FlowcontrolVersion> implied = FlowcontrolVersion.newestServedBy(version.gitVersion());
			String seen = "Kubernetes " + version.gitVersion() + " (" + version.from() + ")";
			if (implied.isPresent()) {
				return new Chosen(implied.get(), failure + "; " + seen + " serves it as the newest");
			}
			return new Unsupported(
					failure + "; " + seen + " is older than 1.23 and serves none of v1, v1beta3, v1beta2");
		}
		return new Chosen(FlowcontrolVersion.V1,
				failure + " and the Kubernetes version is unknown: v1, served by " + FlowcontrolVersion.V1.servedBy()
						+ "; ask for ?apiVersion=v1beta3 on 1.26-1.28 or v1beta2 on 1.23-1.25");
	}

}
