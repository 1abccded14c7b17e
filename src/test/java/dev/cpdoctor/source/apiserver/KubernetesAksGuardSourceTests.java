package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.util.List;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaList;
import io.kubernetes.client.openapi.models.V1FlowSchemaSpec;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksGuardSource.Guard;
import dev.cpdoctor.source.SourceResult;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AKS guard FlowSchema read by the real Kubernetes client from a local apiserver
 * stand-in.
 */
class KubernetesAksGuardSourceTests {

	static final String V1 = "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas";

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster aks = new Cluster("aks", Provider.AKS, KubeAccess.context("lab-admin", null), null,
			"configuration");

	private AksGuardSource source(List<String> served) {
		return this.apiserver.sources(Duration.ofSeconds(5))
			.aksGuard((cluster) -> SourceResult.ok(served), (cluster) -> true);
	}

	static V1FlowSchema schema(String name, int precedence, String level) {
		return new V1FlowSchema().apiVersion("flowcontrol.apiserver.k8s.io/v1")
			.kind("FlowSchema")
			.metadata(new V1ObjectMeta().name(name))
			.spec(new V1FlowSchemaSpec().matchingPrecedence(precedence)
				.priorityLevelConfiguration(new V1PriorityLevelConfigurationReference().name(level)));
	}

	static String list(String continueToken, V1FlowSchema... items) {
		V1FlowSchemaList list = new V1FlowSchemaList().apiVersion("flowcontrol.apiserver.k8s.io/v1")
			.kind("FlowSchemaList")
			.metadata(new V1ListMeta()._continue(continueToken))
			.items(List.of(items));
		return new JSON().serialize(list);
	}

	private void serve(String path, String continueToken, int status, String body) {
		var request = get(urlPathEqualTo(path)).withQueryParam("limit", equalTo("100"));
		request = (continueToken == null) ? request.withQueryParam("continue", absent())
				: request.withQueryParam("continue", equalTo(continueToken));
		this.apiserver.stubFor(request
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
	}

	private static Guard ok(SourceResult<Guard> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Ok.class);
		return ((SourceResult.Ok<Guard>) result).value();
	}

	private static String failed(SourceResult<Guard> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Failed.class);
		return ((SourceResult.Failed<Guard>) result).reason();
	}

	@Test
	void presentWithItsPrecedenceAndPriorityLevel() {
		serve(V1, null, 200,
				list(null, schema("exempt", 1, "exempt"),
						schema(AksGuardSource.FLOW_SCHEMA, 300, AksGuardSource.FLOW_SCHEMA),
						schema("catch-all", 10000, "catch-all")));
		Guard guard = ok(source(List.of("v1", "v1beta3")).guard(this.aks));
		assertThat(guard)
			.isEqualTo(new Guard(true, 300, AksGuardSource.FLOW_SCHEMA, "flowcontrol.apiserver.k8s.io/v1"));
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo(V1)).withHeader("Authorization", equalTo("Bearer test-token-7f3a")));
	}

	@Test
	void absentWhenNoFlowSchemaHasTheName() {
		serve(V1, null, 200, list(null, schema("exempt", 1, "exempt"), schema("catch-all", 10000, "catch-all")));
		assertThat(ok(source(List.of("v1")).guard(this.aks)))
			.isEqualTo(Guard.absent("flowcontrol.apiserver.k8s.io/v1"));
	}

	@Test
	void followsContinueTokensPageByPage() {
		serve(V1, null, 200, list("page-2", schema("exempt", 1, "exempt")));
		serve(V1, "page-2", 200, list("page-3", schema("system-nodes", 500, "system")));
		serve(V1, "page-3", 200, list(null, schema(AksGuardSource.FLOW_SCHEMA, 300, "aks-managed-apiserver-guard")));
		Guard guard = ok(source(List.of("v1")).guard(this.aks));
		assertThat(guard.present()).isTrue();
		assertThat(guard.matchingPrecedence()).isEqualTo(300);
		this.apiserver.verify(3, getRequestedFor(urlPathEqualTo(V1)).withQueryParam("limit", equalTo("100")));
	}

	@Test
	void aRepeatedContinueTokenFailsTheRead() {
		serve(V1, null, 200, list("page-2", schema("exempt", 1, "exempt")));
		serve(V1, "page-2", 200, list("page-2", schema("system-nodes", 500, "system")));
		assertThat(failed(source(List.of("v1")).guard(this.aks)))
			.isEqualTo("LIST " + V1 + ": the apiserver repeated its continue token");
	}

	@Test
	void pagingStopsAtThePageCap() {
		serve(V1, null, 200, list("page-1", schema("exempt", 1, "exempt")));
		for (int page = 1; page <= KubernetesAksGuardSource.MAX_PAGES; page++) {
			serve(V1, "page-" + page, 200, list("page-" + (page + 1), schema("other-" + page, 500, "system")));
		}
		assertThat(failed(source(List.of("v1")).guard(this.aks)))
			.isEqualTo("LIST " + V1 + ": more than 20 pages without " + AksGuardSource.FLOW_SCHEMA);
		this.apiserver.verify(KubernetesAksGuardSource.MAX_PAGES, getRequestedFor(urlPathEqualTo(V1)));
	}

	@Test
	void readsTheVersionTheClusterServes() {
		String beta2 = "/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas";
		serve(beta2, null, 200, list(null, schema(AksGuardSource.FLOW_SCHEMA, 300, "guard")));
		assertThat(ok(source(List.of("v1beta2")).guard(this.aks)).apiVersion())
			.isEqualTo("flowcontrol.apiserver.k8s.io/v1beta2");
	}

	@Test
	void forbiddenAndServerErrorsAreFailures() {
		serve(V1, null, 403, "{\"kind\":\"Status\",\"code\":403}");
		assertThat(failed(source(List.of("v1")).guard(this.aks))).contains("HTTP 403").contains("RBAC");
		serve(V1, null, 500, "{\"kind\":\"Status\",\"code\":500}");
		assertThat(failed(source(List.of("v1")).guard(this.aks))).contains("HTTP 500");
	}

	@Test
	void aFailedPageFailsTheWholeRead() {
		serve(V1, null, 200, list("page-2", schema("exempt", 1, "exempt")));
		serve(V1, "page-2", 500, "{}");
		assertThat(failed(source(List.of("v1")).guard(this.aks))).contains("HTTP 500");
	}

	@Test
	void unknownOrUnservedVersionsAreFailures() {
		assertThat(failed(source(List.of()).guard(this.aks))).contains("serves none");
		AksGuardSource noDiscovery = this.apiserver.sources(Duration.ofSeconds(5))
			.aksGuard((cluster) -> SourceResult.failed("GET /apis/flowcontrol.apiserver.k8s.io answered HTTP 403"),
					(cluster) -> true);
		assertThat(failed(noDiscovery.guard(this.aks))).contains("flowcontrol version is unknown").contains("HTTP 403");
	}

	@Test
	void notAKubernetesAnswerIsAFailure() {
		serve(V1, null, 200, "<html>login</html>");
		assertThat(failed(source(List.of("v1")).guard(this.aks))).contains("did not answer Kubernetes JSON");
	}

}
