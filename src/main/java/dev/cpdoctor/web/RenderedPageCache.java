package dev.cpdoctor.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import dev.cpdoctor.troubleshoot.SymptomTable;

/**
 * Keeps a rendered page for a few seconds when its URL names an absolute window: the
 * incident link pasted in a channel is opened by everyone at once, and they get the bytes
 * of one render (viewers arriving during that render wait for it) instead of a render
 * each. Relative windows ("last 1 h") are never cached. Runs after Spring Security, so a
 * login is still required where it is; pages hold nothing per user.
 */
final class RenderedPageCache extends OncePerRequestFilter {

	static final String HEADER = "X-Cpdoctor-Cache";

	/**
	 * The guided pages, one per symptom: a diagnosis is the costliest render, so they are
	 * kept too.
	 */
	private static final String SYMPTOM_PAGES = "/troubleshoot/";

	private record Page(int status, String contentType, byte[] body) {
	}

	private final Cache<String, Page> pages;

	/** Renders under way: a second viewer of the same link waits for the first render. */
	private final Map<String, CompletableFuture<Page>> rendering = new ConcurrentHashMap<>();

	private final Duration waitForRender;

	RenderedPageCache(Duration ttl, long maxBytes, Duration waitForRender) {
		this.waitForRender = waitForRender;
		this.pages = Caffeine.newBuilder()
			.expireAfterWrite(ttl)
			.maximumWeight(maxBytes)
			.weigher((String key, Page page) -> page.body().length + key.length())
			.build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		boolean page = path.equals("/") || path.equals("/audit") || path.equals("/etcd") || path.equals("/troubleshoot")
				|| (path.startsWith(SYMPTOM_PAGES)
						&& SymptomTable.find(path.substring(SYMPTOM_PAGES.length())).isPresent());
		return !page || !"GET".equals(request.getMethod()) || request.getParameter(ViewState.FROM) == null
				|| request.getParameter(ViewState.TO) == null || request.getParameter(ViewState.LAST) != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getRequestURI() + "?" + request.getQueryString();
		Page cached = this.pages.getIfPresent(key);
		if (cached != null) {
			write(response, cached, "hit");
			return;
		}
		CompletableFuture<Page> mine = new CompletableFuture<>();
		CompletableFuture<Page> theirs = this.rendering.putIfAbsent(key, mine);
		if (theirs != null) {
			Page shared = await(theirs);
			if (shared != null) {
				write(response, shared, "shared");
				return;
			}
		}
		Page page = null;
		try {
			ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
			wrapper.setHeader(HEADER, "miss");
			chain.doFilter(request, wrapper);
			String contentType = wrapper.getContentType();
			if (wrapper.getStatus() == 200 && contentType != null && contentType.startsWith("text/html")) {
				page = new Page(200, contentType, wrapper.getContentAsByteArray());
				this.pages.put(key, page);
			}
			wrapper.copyBodyToResponse();
		}
		finally {
			if (theirs == null) {
				mine.complete(page);
				this.rendering.remove(key, mine);
			}
		}
	}

	/**
	 * The other viewer's page; null (render your own) when it could not be cached or took
	 * too long.
	 */
	private Page await(CompletableFuture<Page> render) {
		try {
			return render.get(this.waitForRender.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException | TimeoutException ex) {
			return null;
		}
	}

	private static void write(HttpServletResponse response, Page page, String how) throws IOException {
		response.setStatus(page.status());
		response.setContentType(page.contentType());
		response.setHeader(HEADER, how);
		response.setContentLength(page.body().length);
		response.getOutputStream().write(page.body());
	}

}
