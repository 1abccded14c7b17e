package dev.cpdoctor.source.apiserver;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ListMeta;
import okhttp3.Call;

import dev.cpdoctor.source.apiserver.ApiserverCalls.CallFailed;

/**
 * One paginated LIST, as a good client during an incident asks it: pages of
 * {@code pageSize} items following the {@code continue} token (never resourceVersion=0,
 * which older apiservers answer from the watch cache ignoring the limit), each page one
 * call of the question's {@link ApiserverCalls} (so all pages share its deadline), and at
 * most {@code maxPages} pages.
 *
 * @param <L> the client's list model
 * @param what the LIST as named in failures and warnings
 * @param page builds one page's call
 * @param type the list model read from each page
 * @param meta the list model's metadata (where the continue token is)
 */
record PagedList<L>(String what, int pageSize, int maxPages, PageCall page, Class<L> type,
		Function<L, V1ListMeta> meta) {

	/**
	 * Builds one page's call from the page size and the continue token (null for the
	 * first page).
	 */
	@FunctionalInterface
	interface PageCall {

		Call build(int limit, String continueToken) throws ApiException;

	}

	/** How a read ended. */
	enum End {

		/** The last page was read. */
		LAST_PAGE,

		/** The reader of the pages asked for no more. */
		STOPPED,

		/** The apiserver answered the continue token it was asked with. */
		TOKEN_REPEATED,

		/** {@code maxPages} pages were read and there were more. */
		PAGE_CAP

	}

	/**
	 * Reads page by page while {@code reader} says to go on (it answers false once it has
	 * what it wanted).
	 */
	End read(ApiserverCalls calls, Predicate<L> reader) throws CallFailed {
		String token = null;
		for (int n = 0; n < this.maxPages; n++) {
			L list;
			try {
				list = calls.get(this.what, this.page.build(this.pageSize, token), this.type);
			}
			catch (ApiException ex) {
				throw new CallFailed(this.what + " could not be built: " + ex.getClass().getSimpleName());
			}
			if (!reader.test(list)) {
				return End.STOPPED;
			}
			V1ListMeta listMeta = this.meta.apply(list);
			String next = (listMeta != null) ? listMeta.getContinue() : null;
			if (next == null || next.isEmpty()) {
				return End.LAST_PAGE;
			}
			if (next.equals(token)) {
				return End.TOKEN_REPEATED;
			}
			token = next;
		}
		return End.PAGE_CAP;
	}

	/**
	 * Every item of the LIST, page by page. Past {@code maxPages} (or when the server
	 * repeats a continue token) it stops with a warning: what was read is kept.
	 */
	<I> void readAll(ApiserverCalls calls, Function<L, List<I>> items, Consumer<I> sink, List<String> warnings)
			throws CallFailed {
		End end = read(calls, (list) -> {
			ModelValues.orEmpty(items.apply(list)).forEach(sink);
			return true;
		});
		if (end == End.TOKEN_REPEATED) {
			warnings.add(this.what + ": the apiserver repeated its continue token; the rest was not read");
		}
		else if (end == End.PAGE_CAP) {
			warnings.add(this.what + ": more than " + this.maxPages + " pages; only those were read");
		}
	}

}
