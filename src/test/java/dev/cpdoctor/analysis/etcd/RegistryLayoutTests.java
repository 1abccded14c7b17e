package dev.cpdoctor.analysis.etcd;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryLayoutTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(nullValues = "-", value = {
			// core and other built-ins: the resource alone
			"/registry/pods/acme/web-1, pods, '', pods, acme",
			"/registry/configmaps/kube-system/coredns, configmaps, '', configmaps, kube-system",
			"/registry/jobs/ci/build-7, jobs, '', jobs, ci", "/registry/namespaces/acme, namespaces, '', namespaces, -",
			"/registry/clusterroles/admin, clusterroles, '', clusterroles, -",
			// the compiled-in exceptions
			"/registry/services/specs/acme/api, services/specs, '', services, acme",
			"/registry/services/endpoints/acme/api, services/endpoints, '', endpoints, acme",
			"/registry/minions/node-1, minions, '', nodes, -",
			"/registry/controllers/acme/rc-1, controllers, '', replicationcontrollers, acme",
			"/registry/ingress/acme/web, ingress, networking.k8s.io, ingresses, acme",
			// the apiserver's bookkeeping keys
			"/registry/masterleases/10.0.0.1, masterleases, '', masterleases, -",
			"/registry/ranges/serviceips, ranges, '', ranges, -",
			// group-keyed: CRDs, APIServices, custom resources
			"/registry/apiextensions.k8s.io/customresourcedefinitions/policies.kyverno.io, apiextensions.k8s.io/customresourcedefinitions, apiextensions.k8s.io, customresourcedefinitions, -",
			"/registry/kyverno.io/ephemeralreports/acme/r-1, kyverno.io/ephemeralreports, kyverno.io, ephemeralreports, acme",
			"/registry/wgpolicyk8s.io/clusterpolicyreports/r-1, wgpolicyk8s.io/clusterpolicyreports, wgpolicyk8s.io, clusterpolicyreports, -" })
	void keysBackToTheirResourceAndNamespace(String key, String prefix, String group, String resource,
			String namespace) {
		assertThat(RegistryLayout.parse(key)).isEqualTo(new RegistryKey(prefix, group, resource, namespace));
	}

	@ParameterizedTest
	@CsvSource({ "/other/thing", "/registry/", "/registry/lonely", "/registryx/pods/a/b",
			"/registry/kyverno.io/onlygroup", "compact_rev_key" })
	void keysThatNameNoResourceAreOutside(String key) {
		assertThat(RegistryLayout.parse(key)).isEqualTo(RegistryKey.OUTSIDE);
	}

	@ParameterizedTest
	@CsvSource({ "'', services, /registry/services/specs/", "'', pods, /registry/pods/",
			"kyverno.io, ephemeralreports, /registry/kyverno.io/ephemeralreports/", "'', nodes, /registry/minions/",
			"networking.k8s.io, ingresses, /registry/ingress/" })
	void parsingTheFirstKeyOfAPrefixGivesThatPrefixBack(String group, String resource, String keyPrefix) {
		String prefix = RegistryLayout.resourcePrefix(group, resource).orElseThrow();
		assertThat(RegistryLayout.parse("/registry/" + prefix + "/ns/name").keyPrefix()).isEqualTo(keyPrefix);
	}

}
