package dev.cpdoctor.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.troubleshoot.FlowcontrolVersionChoice;
import dev.cpdoctor.troubleshoot.remedy.FlowSchemaRemedy;
import dev.cpdoctor.troubleshoot.remedy.FlowcontrolVersion;
import dev.cpdoctor.troubleshoot.remedy.InvalidRemedyParameter;
import dev.cpdoctor.troubleshoot.remedy.LeakedResource;
import dev.cpdoctor.troubleshoot.remedy.Manifests;
import dev.cpdoctor.troubleshoot.remedy.PagedDelete;
import dev.cpdoctor.troubleshoot.remedy.Remediation;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;

/**
 * Remedies generated for a cluster (documented in README.md). The APF throttle of cause 3
 * answers YAML ready for kubectl apply; cause 2's paged delete a shell loop as
 * text/plain; a bad parameter answers 400 naming it, an unknown cluster 404, a cluster
 * serving no flowcontrol version the remedy is written in 409 (errors as JSON, as the
 * rest of the API).
 */
@RestController
@RequestMapping("/api/v1/clusters/{name}/remediations")
class RemediationApiController {

	static final MediaType YAML = MediaType.parseMediaType(Manifests.CONTENT_TYPE + ";charset=UTF-8");

	static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");

	/** The API's error body (status and message), whatever the request accepts. */
	record ErrorJson(int status, String message) {
	}

	private final ClusterCatalog catalog;

	private final FlowcontrolVersions flowcontrol;

	private final KnownKubernetesVersions versions;

	private final Manifests manifests;

	RemediationApiController(ClusterCatalog catalog, FlowcontrolVersions flowcontrol, KnownKubernetesVersions versions,
			Manifests manifests) {
		this.manifests = manifests;
		this.catalog = catalog;
		this.flowcontrol = flowcontrol;
		this.versions = versions;
	}

	/**
	 * A PriorityLevelConfiguration and a FlowSchema throttling one subject's requests, in
	 * the flowcontrol version the cluster serves unless {@code apiVersion} names one.
	 */
	@GetMapping(path = "/flowschema", produces = Manifests.CONTENT_TYPE)
	ResponseEntity<String> flowSchema(@PathVariable String name, @RequestParam(required = false) String serviceAccount,
			@RequestParam(required = false) String user, @RequestParam(required = false) String group,
			@RequestParam(required = false) String verbs, @RequestParam(required = false) String resources,
			@RequestParam(required = false) String apiGroups, @RequestParam(required = false) String shares,
			@RequestParam(required = false) String apiVersion) {
		Cluster cluster = this.catalog.find(name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown cluster '" + name + "'"));
		ThrottleRequest.Parsed parsed = new ThrottleRequest.Query(serviceAccount, user, group, verbs, resources,
				apiGroups, shares)
			.parse();
		if (parsed instanceof ThrottleRequest.Parsed.Invalid invalid) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'" + invalid.parameter() + "': " + invalid.message());
		}
		ThrottleRequest request = ((ThrottleRequest.Parsed.Ok) parsed).request();
		FlowcontrolVersionChoice choice = versionFor(cluster, apiVersion);
		if (choice instanceof FlowcontrolVersionChoice.Unsupported unsupported) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "Cluster '" + cluster.name() + "': "
					+ unsupported.reason() + ". Ask for ?apiVersion= to write one anyway.");
		}
		FlowSchemaRemedy remedy = ((FlowcontrolVersionChoice.Chosen) choice).remedy(cluster.name(), request);
		return ResponseEntity.ok().contentType(YAML).body(this.manifests.flowSchema(remedy));
	}

	/**
	 * Cause 2's paged delete of one resource as a POSIX shell loop, text/plain ready to
	 * paste: {@code resource} as kubectl names it (events, jobs.batch,
	 * ephemeralreports.reports.kyverno.io), {@code version} where the guide cannot know
	 * it, {@code namespace} for a namespaced resource (the apiserver deletes a collection
	 * one namespace at a time), optionally {@code labelSelector} and {@code pageSize}
	 * (1-10,000). Every value is validated against Kubernetes' grammar; a refused one
	 * answers 400 naming the parameter, never echoing it.
	 */
	@GetMapping(path = "/paged-delete", produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> pagedDelete(@PathVariable String name, @RequestParam(required = false) String resource,
			@RequestParam(required = false) String version, @RequestParam(required = false) String namespace,
			@RequestParam(required = false) String labelSelector, @RequestParam(required = false) String pageSize) {
		this.catalog.find(name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown cluster '" + name + "'"));
		int size = PagedDelete.DEFAULT_PAGE_SIZE;
		if (pageSize != null && !pageSize.isEmpty()) {
			if (!pageSize.matches("[0-9]{1,6}")) {
				throw new InvalidRemedyParameter("pageSize", "a page is 1-" + PagedDelete.MAX_PAGE_SIZE + " objects");
			}
			size = Integer.parseInt(pageSize);
		}
		Remediation remedy = PagedDelete.of(LeakedResource.fromQuery(resource, version, namespace, labelSelector),
				size);
		StringBuilder text = new StringBuilder();
		for (String warning : remedy.warnings()) {
			if (!remedy.text().contains(warning)) {
				text.append("# ").append(warning).append('\n');
			}
		}
		text.append(remedy.text());
		return ResponseEntity.ok().contentType(TEXT).body(text.toString());
	}

	/**
	 * The asked-for version, else the one the cluster serves (no call when one is asked
	 * for).
	 */
	private FlowcontrolVersionChoice versionFor(Cluster cluster, String apiVersion) {
		if (apiVersion == null) {
			return FlowcontrolVersionChoice.of(this.flowcontrol.served(cluster), this.versions.of(cluster));
		}
		return FlowcontrolVersionChoice.requested(FlowcontrolVersion.parse(apiVersion)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'apiVersion': v1, v1beta3 or v1beta2 (optionally as flowcontrol.apiserver.k8s.io/<version>)")));
	}

	/**
	 * Errors as the rest of the API answers them, but also to a client that accepts only
	 * YAML (the error page would otherwise find no representation for it and send an
	 * empty body).
	 */
	@ExceptionHandler(InvalidRemedyParameter.class)
	ResponseEntity<ErrorJson> invalid(InvalidRemedyParameter ex) {
		return error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "'" + ex.parameter() + "': " + ex.rule()));
	}

	@ExceptionHandler(ResponseStatusException.class)
	ResponseEntity<ErrorJson> error(ResponseStatusException ex) {
		return ResponseEntity.status(ex.getStatusCode())
			.contentType(MediaType.APPLICATION_JSON)
			.body(new ErrorJson(ex.getStatusCode().value(), ex.getReason()));
	}

}
