package dev.cpdoctor.web;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import dev.cpdoctor.security.SecurityConfiguration;
import dev.cpdoctor.troubleshoot.TroubleshootConfiguration;

/**
 * The base of the web slices: every controller, the web configuration and templates, the
 * security of the default loopback address (open, loopback Host names only, CSRF as
 * configured), over {@link FakeSources} instead of the source packages; no server, no
 * database but an empty in-memory etcd history. The clusters are lab and bare
 * (self-managed, no access), without the demo. Every subclass shares the one slice; the
 * fakes are cleared before each test.
 * <p>
 * Requests go through MockMvc as a browser or a script sends them to 127.0.0.1:8080, and
 * where a controller or filter answers with an error, the error page or JSON is rendered
 * as the servlet container's error dispatch renders it (MockMvc leaves that out).
 */
@WebMvcTest(properties = { "cpdoctor.clusters[0].name=lab", "cpdoctor.clusters[1].name=bare",
		"cpdoctor.demo.enabled=false", "cpdoctor.kubeconfig.offer-current-context=false" })
@Import({ SliceSources.class, TroubleshootConfiguration.class, SecurityConfiguration.class })
@ActiveProfiles("test")
abstract class AbstractWebSliceTests {

	/** The port a browser on this machine names (no server listens: MockMvc answers). */
	static final int PORT = 8080;

	/** The Host a browser on this machine names. */
	static final String HOST = "127.0.0.1:" + PORT;

	@Autowired
	MockMvc mvc;

	@Autowired
	FakeSources fakes;

	@BeforeEach
	void clearFakes() {
		this.fakes.clear();
	}

	int port() {
		return PORT;
	}

	HttpResponse<String> get(String path, String accept) throws Exception {
		return send(HttpMethod.GET, path, null, "Accept", accept);
	}

	/**
	 * A request with a body (or none) and the name/value pairs of {@code headers}.
	 */
	HttpResponse<String> send(HttpMethod method, String path, String body, String... headers) throws Exception {
		URI uri = URI.create("http://" + HOST + path);
		MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, uri).header("Host", HOST);
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		if (body != null) {
			request.content(body.getBytes(StandardCharsets.UTF_8));
		}
		MvcResult result = this.mvc.perform(request).andReturn();
		MockHttpServletResponse response = result.getResponse();
		Map<String, List<String>> answerHeaders = headers(response);
		String content = response.getContentAsString(StandardCharsets.UTF_8);
		if (result.getResolvedException() != null || response.getErrorMessage() != null) {
			MockHttpServletResponse error = errorDispatch(method, uri, result, headers);
			answerHeaders.putAll(headers(error));
			content = error.getContentAsString(StandardCharsets.UTF_8);
		}
		HttpRequest sent = HttpRequest.newBuilder(uri)
			.method(method.name(), HttpRequest.BodyPublishers.noBody())
			.build();
		return new SliceResponse(sent, response.getStatus(), HttpHeaders.of(answerHeaders, (name, value) -> true),
				content);
	}

	/** What the servlet container's error dispatch to /error answers for this error. */
	private MockHttpServletResponse errorDispatch(HttpMethod method, URI uri, MvcResult result, String... headers)
			throws Exception {
		MockHttpServletRequestBuilder error = MockMvcRequestBuilders.request(method, uri.resolve("/error"))
			.header("Host", HOST)
			.requestAttr(RequestDispatcher.ERROR_STATUS_CODE, result.getResponse().getStatus())
			.requestAttr(RequestDispatcher.ERROR_REQUEST_URI, uri.getRawPath());
		if (result.getResponse().getErrorMessage() != null) {
			error.requestAttr(RequestDispatcher.ERROR_MESSAGE, result.getResponse().getErrorMessage());
		}
		if (result.getResolvedException() != null) {
			error.requestAttr(RequestDispatcher.ERROR_EXCEPTION, result.getResolvedException());
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			if (headers[i].equalsIgnoreCase("Accept")) {
				error.header(headers[i], headers[i + 1]);
			}
		}
		return this.mvc.perform(error).andReturn().getResponse();
	}

	private static Map<String, List<String>> headers(MockHttpServletResponse response) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : response.getHeaderNames()) {
			headers.put(name, new ArrayList<>(response.getHeaders(name)));
		}
		return headers;
	}

}
