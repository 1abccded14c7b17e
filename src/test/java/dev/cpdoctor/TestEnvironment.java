package dev.cpdoctor;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a real outside program (Chromium, PostgreSQL) skip with a clear message
 * on a developer machine without it, and fail in CI (CI=true), where .ci/run installs it:
 * a skipped browser test must never pass for a green build.
 */
public final class TestEnvironment {

	private TestEnvironment() {
	}

	public static boolean isCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	public static void require(boolean available, String what) {
		if (available) {
			return;
		}
		if (isCi()) {
			Assertions.fail(what + " is not available, but CI=true: .ci/run should have installed and started it");
		}
		Assumptions.abort(what + " is not available on this machine; skipping (run .ci/run, or install it)");
	}

}
