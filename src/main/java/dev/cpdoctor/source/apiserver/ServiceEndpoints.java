package dev.cpdoctor.source.apiserver;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;

import dev.cpdoctor.source.apiserver.ApiserverCalls.CallFailed;

import static dev.cpdoctor.source.apiserver.ModelValues.orEmpty;

/**
 * How many ready endpoints a webhook's service has, from its EndpointSlices. RBAC: list
 * endpointslices (discovery.k8s.io); without it the count is unknown, said in a warning.
 */
final class ServiceEndpoints {

	static final int PAGE = 100;

	/** A bound against a server that never stops paging: 5,000 slices of one service. */
	static final int MAX_PAGES = 50;

	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	private ServiceEndpoints() {
	}

	/**
	 * Ready endpoints of a service from its EndpointSlices: an endpoint counts when
	 * conditions.ready is true or unset (the API says to read unset as ready). A
	 * dual-stack service lists each pod once per address family, so the families are
	 * counted apart and the larger count is taken; an endpoint in two slices (during an
	 * update) counts once. Null when unknown.
	 */
	static Integer ready(ApiserverCalls calls, AdmissionregistrationV1ServiceReference service, List<String> warnings) {
		DiscoveryV1Api discovery = new DiscoveryV1Api(calls.client());
		String what = "LIST endpointslices of service " + service.getNamespace() + "/" + service.getName();
		Map<String, Set<String>> readyByFamily = new HashMap<>();
		try {
			new PagedList<>(what, PAGE, MAX_PAGES,
					(limit, token) -> discovery.listNamespacedEndpointSlice(service.getNamespace())
						.labelSelector(SERVICE_NAME_LABEL + "=" + service.getName())
						.limit(limit)
						._continue(token)
						.buildCall(null),
					V1EndpointSliceList.class, V1EndpointSliceList::getMetadata)
				.readAll(calls, V1EndpointSliceList::getItems, (slice) -> countReady(slice, readyByFamily), warnings);
		}
		catch (CallFailed ex) {
			warnings.add("ready endpoints of " + service.getNamespace() + "/" + service.getName() + " are unknown: "
					+ ex.getMessage());
			return null;
		}
		return readyByFamily.values().stream().mapToInt(Set::size).max().orElse(0);
	}

	private static void countReady(V1EndpointSlice slice, Map<String, Set<String>> readyByFamily) {
		Set<String> ready = readyByFamily.computeIfAbsent(String.valueOf(slice.getAddressType()),
				(family) -> new HashSet<>());
		for (V1Endpoint endpoint : orEmpty(slice.getEndpoints())) {
			boolean isReady = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
					|| endpoint.getConditions().getReady();
			if (isReady) {
				ready.add(String.join(",", orEmpty(endpoint.getAddresses())));
			}
		}
	}

}
