package dev.cpdoctor.source.apiserver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallKindsTests {

	@Test
	void nonResourceUrlsAreTheirName() {
		assertThat(CallKinds.of("GET", "/metrics")).isEqualTo("metrics");
		assertThat(CallKinds.of("GET", "/readyz")).isEqualTo("readyz");
		assertThat(CallKinds.of("GET", "/livez/etcd")).isEqualTo("livez");
		assertThat(CallKinds.of("GET", "/version/")).isEqualTo("version");
		assertThat(CallKinds.of("GET", "/")).isEqualTo("discovery");
		assertThat(CallKinds.of("GET", "/apis")).isEqualTo("discovery");
		assertThat(CallKinds.of("GET", "/api/v1")).isEqualTo("discovery");
		assertThat(CallKinds.of("GET", "/apis/flowcontrol.apiserver.k8s.io"))
			.isEqualTo("discovery flowcontrol.apiserver.k8s.io");
		assertThat(CallKinds.of("GET", "/apis/flowcontrol.apiserver.k8s.io/v1"))
			.isEqualTo("discovery flowcontrol.apiserver.k8s.io");
		assertThat(CallKinds.of("GET", "/somewhere/else")).isEqualTo("other");
	}

	@Test
	void resourceUrlsNameVerbAndResourceNeverNamespaceOrName() {
		assertThat(CallKinds.of("GET", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations"))
			.isEqualTo("list validatingwebhookconfigurations");
		assertThat(CallKinds.of("GET", "/api/v1/namespaces/kube-system")).isEqualTo("get namespaces");
		assertThat(CallKinds.of("GET", "/api/v1/namespaces")).isEqualTo("list namespaces");
		assertThat(CallKinds.of("GET", "/apis/discovery.k8s.io/v1/namespaces/kyverno/endpointslices"))
			.isEqualTo("list endpointslices");
		assertThat(CallKinds.of("GET", "/api/v1/events")).isEqualTo("list events");
		assertThat(CallKinds.of("GET", "/api/v1/namespaces/team-a/pods/web-7f9c/log")).isEqualTo("get pods/log");
		assertThat(CallKinds.of("DELETE", "/apis/batch/v1/namespaces/ci/jobs")).isEqualTo("deletecollection jobs");
		assertThat(CallKinds.of("GET", "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas"))
			.isEqualTo("list flowschemas");
	}

	@Test
	void oddSegmentsAreNotRepeated() {
		assertThat(CallKinds.of("GET", "/api/v1/%3Cscript%3E")).isEqualTo("other");
		assertThat(CallKinds.of("GET", "/apis/Evil Group/v1/things")).isEqualTo("other");
		assertThat(CallKinds.of("GET", "/api/v1/namespaces/x/pods/y/" + "A".repeat(10))).isEqualTo("other");
	}

}
