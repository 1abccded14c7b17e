package dev.cpdoctor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A running application as a test talks to it: over real HTTP on its port, as a browser
 * or a script does, and by its beans. The shared one of {@link AbstractEndToEndTests} and
 * each {@link TestApp} are both.
 */
public interface RunningApp {

	/** One client for every test: it keeps no state between requests. */
	HttpClient HTTP = HttpClient.newHttpClient();

	int port();

	<T> T bean(Class<T> type);

	/**
	 * GET as a browser asks: for HTML, unless the name/value pairs of {@code headers}
	 * give an Accept header.
	 */
	default HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		boolean accept = false;
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
			accept |= headers[i].equalsIgnoreCase("Accept");
		}
		if (!accept) {
			request.header("Accept", "text/html");
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * POST as a script sends it: asking for JSON, with the name/value pairs of headers.
	 */
	default HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(body).header("Accept", "application/json");
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	default URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + path);
	}

}
