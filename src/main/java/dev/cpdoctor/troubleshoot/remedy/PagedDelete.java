package dev.cpdoctor.troubleshoot.remedy;

import java.util.List;

/**
 * Cause 2's paged delete (DOMAIN.md):
 * {@code kubectl delete --raw "<collection>?limit=1000"} deletes one page of a large
 * collection per request, so no single request has to delete (and answer with) every
 * leaked object; it is repeated until a LIST with limit=1 finds nothing. A POSIX shell
 * loop, ready to paste: the paths are single-quoted and hold only validated names and the
 * URL-encoded selector, so nothing in them is expanded.
 *
 * <p>
 * The loop stops when the page holds no item, when the first object left is already being
 * deleted (it waits for finalizers: deleting the same page again would never progress),
 * and when either kubectl call fails (NOSPACE, forbidden, not found) - never loops on an
 * error. The check reads the apiserver's compact JSON ({@code "items":[{}); kubectl does
 * not pretty-print --raw.
 */
public final class PagedDelete {

	public static final int DEFAULT_PAGE_SIZE = 1000;

	public static final int MAX_PAGE_SIZE = 10_000;

	static final String OVER_QUOTA_WARNING = "Works only while etcd is under its quota: over quota (NOSPACE alarm)"
			+ " the apiserver's deletes fail too, and only the direct-etcd last resort is left.";

	private PagedDelete() {
	}

	public static Remediation of(LeakedResource target) {
		return of(target, DEFAULT_PAGE_SIZE);
	}

	/**
	 * @throws InvalidRemedyParameter naming pageSize when it is not 1-10,000
	 */
	public static Remediation of(LeakedResource target, int pageSize) {
		if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new InvalidRemedyParameter("pageSize", "a page is 1-" + MAX_PAGE_SIZE + " objects");
		}
		String selector = (target.labelSelector() != null) ? "&labelSelector=" + target.labelSelector().urlEncoded()
				: "";
		String probe = quoted(target.collectionPath() + "?limit=1" + selector);
		String page = quoted(target.collectionPath() + "?limit=" + pageSize + selector);
		String what = target.qualifiedName() + " " + target.where()
				+ ((target.labelSelector() != null) ? " with labels " + target.labelSelector().text() : "");
		String text = String.join("\n",
				"# Delete every " + what + ", " + pageSize + " per request, until none is left.",
				"# " + OVER_QUOTA_WARNING, "n=0", "while :; do", "  page=$(kubectl get --raw " + probe + ") || break",
				"  case $page in",
				"    *'\"deletionTimestamp\"'*) echo 'the objects left wait for their finalizers; stopping'; break ;;",
				"    *'\"items\":[{'*) ;;", "    *) echo \"none left after $n pages\"; break ;;", "  esac",
				"  kubectl delete --raw " + page + " >/dev/null || break", "  n=$((n + 1)); echo \"deleted page $n\"",
				"done") + "\n";
		return Remediation.command("Delete the " + what + " in pages of " + pageSize, text,
				List.of(OVER_QUOTA_WARNING, "Stop the client that creates them first, or the loop races it.",
						"Deleting does not shrink etcd's file: space is reused after compaction and returned to the"
								+ " disk only by defragmentation."));
	}

	/** In single quotes; the text is validated to hold no quote of its own. */
	private static String quoted(String text) {
		if (text.indexOf('\'') >= 0) {
			throw new IllegalStateException("a quote in a validated path");
		}
		return "'" + text + "'";
	}

}
