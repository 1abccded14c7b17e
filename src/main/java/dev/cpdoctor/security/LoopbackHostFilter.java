package dev.cpdoctor.security;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In loopback mode (no login), answers only requests addressed to a loopback name: a
 * browser on this machine sends Host: localhost:8080, a page of another site that rebinds
 * its own name to 127.0.0.1 sends its own name, and gets 421.
 */
final class LoopbackHostFilter extends OncePerRequestFilter {

	static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "[::1]", "::1");

	/** 127.0.0.0/8 as a literal; a name such as 127.0.0.1.nip.io is not. */
	private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isLoopbackHost(request.getHeader("Host"))) {
			response.setStatus(421);
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter()
				.write("Misdirected request: this dashboard listens on loopback only and answers only to localhost."
						+ " To serve other hosts, set server.address and configure a login (README).");
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean isLoopbackHost(String host) {
		if (host == null || host.isBlank()) {
			return true;
		}
		String name = host.trim().toLowerCase(Locale.ROOT);
		if (name.startsWith("[")) {
			int end = name.indexOf(']');
			name = (end > 0) ? name.substring(0, end + 1) : name;
		}
		else if (name.indexOf(':') == name.lastIndexOf(':') && name.indexOf(':') > 0) {
			name = name.substring(0, name.indexOf(':'));
		}
		return LOOPBACK_NAMES.contains(name) || LOOPBACK_V4.matcher(name).matches();
	}

}
