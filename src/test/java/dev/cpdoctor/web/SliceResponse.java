package dev.cpdoctor.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import javax.net.ssl.SSLSession;

/**
 * A web slice's answer as an HTTP client sees it, so that a test reads a slice's answers
 * as it reads a running application's.
 */
record SliceResponse(HttpRequest request, int statusCode, HttpHeaders headers,
		String body) implements HttpResponse<String> {

	@Override
	public Optional<HttpResponse<String>> previousResponse() {
		return Optional.empty();
	}

	@Override
	public Optional<SSLSession> sslSession() {
		return Optional.empty();
	}

	@Override
	public URI uri() {
		return this.request.uri();
	}

	@Override
	public HttpClient.Version version() {
		return HttpClient.Version.HTTP_1_1;
	}

}
