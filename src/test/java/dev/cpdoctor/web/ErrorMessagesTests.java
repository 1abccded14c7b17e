package dev.cpdoctor.web;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorMessagesTests {

	private final ErrorMessages errors = new ErrorMessages();

	@Test
	void ourOwnMessagesAreShown() {
		Map<String, Object> attributes = attributesFor(
				new ResponseStatusException(HttpStatus.BAD_REQUEST, "'from' must be an ISO-8601 instant"));
		assertThat(attributes.get("message")).asString().contains("'from' must be an ISO-8601 instant");
	}

	@Test
	void otherExceptionsDoNotLeakTheirMessage() {
		Map<String, Object> attributes = attributesFor(new IllegalStateException(
				"Exception evaluating SpringEL expression: \"fmt.instant(view.window().from())\" (template: \"fragments/layout\")"));
		assertThat(attributes.get("message")).isEqualTo(ErrorMessages.INTERNAL);
		assertThat(attributes.toString()).doesNotContain("SpringEL").doesNotContain("template");
	}

	private Map<String, Object> attributesFor(Exception ex) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/audit");
		request.setAttribute("jakarta.servlet.error.exception", ex);
		request.setAttribute("jakarta.servlet.error.status_code", 500);
		return this.errors.getErrorAttributes(new ServletWebRequest(request),
				ErrorAttributeOptions.of(ErrorAttributeOptions.Include.MESSAGE));
	}

}
