package dev.cpdoctor.analysis.audit.form;

import java.util.Map;

/**
 * Where a unit (one JSON value) was found: a document of its own, a line, or an item of a
 * wrapper's array (its member name and the wrapper's few string members read before it).
 *
 * @param origin document, line or item
 * @param key the wrapper's member holding the array (items, events, ...), null elsewhere
 * @param shell the wrapper's string members read before its array (messageType, ...)
 */
record Place(Origin origin, String key, Map<String, String> shell) {

	/** How a unit stood in its input. */
	enum Origin {

		DOCUMENT, LINE, ITEM

	}

	static final Place DOCUMENT = new Place(Origin.DOCUMENT, null, Map.of());

	static final Place LINE = new Place(Origin.LINE, null, Map.of());

	static Place item(String key, Map<String, String> shell) {
		return new Place(Origin.ITEM, key, Map.copyOf(shell));
	}

	boolean in(String wrapperKey) {
		return wrapperKey.equals(this.key);
	}

}
