package dev.cpdoctor.web;

import java.util.Map;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.ErrorResponse;

/**
 * Error pages and JSON errors show the messages written for the user (a bad 'from', an
 * unknown cluster, an unsupported content type); any other exception's message may hold
 * internals (templates, SQL, paths) and is replaced by a pointer to the server log.
 */
final class ErrorMessages extends DefaultErrorAttributes {

	static final String INTERNAL = "Internal error; the server log has the details";

	@Override
	public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(request, options);
		Throwable error = getError(request);
		// ResponseStatusException and Spring MVC's own errors (415, 405, ...) carry
		// messages for the user.
		if (error != null && !(error instanceof ErrorResponse) && attributes.containsKey("message")) {
			attributes.put("message", INTERNAL);
		}
		return attributes;
	}

}
