package dev.cpdoctor.troubleshoot.remedy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EtcdLastResortTests {

	private static String prefix(String group, String resource, String namespace) {
		return EtcdRegistryPath.keyPrefix(LeakedResource.of(group, "v1", resource, namespace, null));
	}

	@ParameterizedTest(name = "{0}/{1} in {2}")
	@CsvSource(nullValues = "-", value = {
			// the generic rule for kube-apiserver's own groups: the resource name, no
			// group
			"'', configmaps, acme, /registry/configmaps/acme/", "'', pods, acme, /registry/pods/acme/",
			"'', namespaces, -, /registry/namespaces/", "batch, jobs, ci, /registry/jobs/ci/",
			"apps, replicasets, acme, /registry/replicasets/acme/",
			"apps, controllerrevisions, acme, /registry/controllerrevisions/acme/",
			"coordination.k8s.io, leases, kube-node-lease, /registry/leases/kube-node-lease/",
			"rbac.authorization.k8s.io, clusterroles, -, /registry/clusterroles/",
			// events.k8s.io shares the core group's storage
			"'', events, acme, /registry/events/acme/", "events.k8s.io, events, acme, /registry/events/acme/",
			// the prefixes compiled into Kubernetes
			"'', services, acme, /registry/services/specs/acme/",
			"'', endpoints, acme, /registry/services/endpoints/acme/", "'', nodes, -, /registry/minions/",
			"'', replicationcontrollers, acme, /registry/controllers/acme/",
			"networking.k8s.io, ingresses, acme, /registry/ingress/acme/",
			"extensions, ingresses, acme, /registry/ingress/acme/",
			// stored by group and resource: CRDs, APIServices and every custom resource
			"apiextensions.k8s.io, customresourcedefinitions, -, /registry/apiextensions.k8s.io/customresourcedefinitions/",
			"apiregistration.k8s.io, apiservices, -, /registry/apiregistration.k8s.io/apiservices/",
			"reports.kyverno.io, ephemeralreports, acme, /registry/reports.kyverno.io/ephemeralreports/acme/",
			"kyverno.io, admissionreports, acme, /registry/kyverno.io/admissionreports/acme/",
			"wgpolicyk8s.io, clusterpolicyreports, -, /registry/wgpolicyk8s.io/clusterpolicyreports/",
			"gateway.networking.k8s.io, httproutes, acme, /registry/gateway.networking.k8s.io/httproutes/acme/" })
	void registryPrefixes(String group, String resource, String namespace, String expected) {
		assertThat(prefix(group, resource, namespace)).isEqualTo(expected);
	}

	@Test
	void groupsWithNothingInEtcdAreRefused() {
		for (String group : List.of("authorization.k8s.io", "authentication.k8s.io", "metrics.k8s.io")) {
			assertThat(catchThrowableOfType(InvalidRemedyParameter.class, () -> prefix(group, "things", "acme"))
				.parameter()).isEqualTo("group");
		}
	}

	@Test
	void theWholeProcedureForACustomResourceInANamespace() {
		Remediation r = EtcdLastResort
			.of(LeakedResource.of("reports.kyverno.io", "v1", "ephemeralreports", "acme", null));
		assertThat(r.kind()).isEqualTo(Remediation.Kind.COMMAND);
		assertThat(r.summary())
			.isEqualTo("Last resort: delete ephemeralreports.reports.kyverno.io in namespace acme directly"
					+ " in etcd (prefix /registry/reports.kyverno.io/ephemeralreports/acme/)");
		String p = "'/registry/reports.kyverno.io/ephemeralreports/acme/'";
		assertThat(r.text()).isEqualTo(String.join("\n",
				"# !!! LAST RESORT: etcd is over its quota (NOSPACE alarm) and the apiserver cannot delete anything. !!!",
				"# !!! Take a snapshot first: it is the only way back.",
				"# !!! It writes to etcd past the apiserver: no admission, no finalizers (what they guard, e.g. cloud disks or"
						+ " load balancers, stays behind), no graceful deletion, and owner references are not followed:"
						+ " do not count on the garbage collector for dependents.",
				"# !!! Watchers and caches learn of it only through the apiserver's own etcd watch; a client whose watch"
						+ " broke sees the deletions only when it relists.",
				"# !!! Self-managed control planes only: AKS, EKS and other managed services give no etcd access; open a"
						+ " support request there.",
				"# !!! Compact, defragment and disarm the alarm afterwards, or the cluster stays read-only.",
				"# Run on a control-plane node, one step at a time, reading each output before the next.",
				"# With an apiserver --etcd-prefix other than /registry, change the prefix below.", "",
				"# 0. etcd's address and a client certificate it trusts (kubeadm's paths: adjust to your cluster)",
				"export ETCDCTL_API=3", "export ETCDCTL_ENDPOINTS=https://127.0.0.1:2379",
				"export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt",
				"export ETCDCTL_CERT=/etc/kubernetes/pki/apiserver-etcd-client.crt",
				"export ETCDCTL_KEY=/etc/kubernetes/pki/apiserver-etcd-client.key", "",
				"# 1. Snapshot, then copy it off the node",
				"etcdctl snapshot save \"etcd-before-delete-$(date +%Y%m%d-%H%M%S).db\"", "",
				"# 2. Look before deleting: how many keys, and the first few", "etcdctl get --prefix --count-only " + p,
				"etcdctl get --prefix --keys-only --limit=5 " + p, "",
				"# 3. Delete every ephemeralreports.reports.kyverno.io in namespace acme (prints how many keys)",
				"etcdctl del --prefix " + p, "",
				"# 4. Free the space: compact to the current revision, defragment (it blocks the member while it runs:",
				"#    with several members, one endpoint at a time), disarm the alarm, check",
				"rev=$(etcdctl endpoint status --write-out=json | grep -o '\"revision\":[0-9]*' | grep -o '[0-9][0-9]*')",
				"etcdctl compact \"$rev\"", "etcdctl defrag", "etcdctl alarm disarm", "etcdctl alarm list",
				"etcdctl endpoint status --write-out=table") + "\n");
		assertThat(r.warnings()).first().asString().startsWith("LAST RESORT");
		assertThat(r.warnings()).anyMatch((w) -> w.contains("snapshot")).anyMatch((w) -> w.contains("finalizers"));
	}

	@Test
	void withoutANamespaceItSaysThePrefixCoversEveryNamespace() {
		String text = EtcdLastResort.of(LeakedResource.of("reports.kyverno.io", "v1", "ephemeralreports", null, null))
			.text();
		assertThat(text).contains("etcdctl del --prefix '/registry/reports.kyverno.io/ephemeralreports/'\n")
			.contains(
					"# No namespace: the prefix holds every ephemeralreports.reports.kyverno.io - in every namespace, if the"
							+ " resource is namespaced.\n");
		assertThat(EtcdLastResort.of(LeakedResource.of("", "v1", "services", "acme", null)).text())
			.contains("etcdctl del --prefix '/registry/services/specs/acme/'\n")
			.doesNotContain("No namespace");
	}

	@Test
	void aLabelSelectorIsRefusedRatherThanSilentlyIgnored() {
		LeakedResource selected = LeakedResource.of("", "v1", "configmaps", "acme", "app=x");
		assertThat(catchThrowableOfType(InvalidRemedyParameter.class, () -> EtcdLastResort.of(selected)).parameter())
			.isEqualTo("labelSelector");
		assertThat(EtcdLastResort.of(selected.withoutSelector()).text()).contains("'/registry/configmaps/acme/'");
	}

	@Test
	void everyPrefixEndsInASlashSoANamespaceDoesNotTakeItsNamesakes() {
		assertThat(prefix("", "configmaps", "acme")).endsWith("/acme/");
		assertThat(prefix("reports.kyverno.io", "ephemeralreports", null)).endsWith("/ephemeralreports/");
	}

}
