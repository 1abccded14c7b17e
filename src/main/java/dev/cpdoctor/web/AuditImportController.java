package dev.cpdoctor.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.source.AuditImport;

/**
 * Imports of audit logs into offline clusters (docs/api.md): the body streams through,
 * never held whole; the answer is the import's report with the window to open.
 */
@RestController
@RequestMapping(path = "/api/v1/clusters/{name}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditImportController {

	private final AuditImport imports;

	AuditImportController(AuditImport imports) {
		this.imports = imports;
	}

	/**
	 * Imports the body (any audit log form the dashboard reads, gzipped or not): 400 when
	 * it holds no audit event, 409 for the demo or a configured cluster, 413 when it
	 * expands past the largest import.
	 */
	@PostMapping("/import")
	ImportJson importLog(@PathVariable String name, HttpServletRequest request) throws IOException {
		AuditImport.Outcome outcome = this.imports.importLog(name, request.getInputStream());
		if (outcome instanceof AuditImport.Imported imported) {
			return ImportJson.of(imported);
		}
		AuditImport.Refused refused = (AuditImport.Refused) outcome;
		throw new ResponseStatusException(switch (refused.refusal()) {
			case INVALID -> HttpStatus.BAD_REQUEST;
			case CONFLICT -> HttpStatus.CONFLICT;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
		}, refused.message());
	}

	/** The cluster's imports, newest first. */
	@GetMapping("/imports")
	List<ImportJson> imports(@PathVariable String name) {
		return this.imports.imports(name).stream().map(ImportJson::of).toList();
	}

	/** Deletes the audit rows of a cluster with imports: 204, or 404 without imports. */
	@DeleteMapping
	ResponseEntity<Void> delete(@PathVariable String name) {
		if (!this.imports.delete(name)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"Cluster '" + name + "' has no imported audit log to delete");
		}
		return ResponseEntity.noContent().build();
	}

	/** An import's report as the API answers it. */
	record ImportJson(String cluster, String importedAt, String forms, long events, long requests, long duplicates,
			long rejectedEvents, Map<String, Long> rejected, String from, String to, String open) {

		static ImportJson of(AuditImport.Imported imported) {
			TimeWindow window = imported.received();
			String from = (window != null) ? window.from().toString() : null;
			String to = (window != null) ? window.to().toString() : null;
			String open = (window != null)
					? "/audit?cluster=" + encode(imported.cluster()) + "&from=" + encode(from) + "&to=" + encode(to)
					: null;
			return new ImportJson(imported.cluster(), imported.importedAt().toString(), imported.forms(),
					imported.events(), imported.requests(), imported.duplicates(), imported.rejectedEvents(),
					imported.rejected(), from, to, open);
		}

		private static String encode(String text) {
			return URLEncoder.encode(text, StandardCharsets.UTF_8);
		}

	}

}
