package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Log Analytics export as CSV (RFC 4180: a header row, fields in double quotes where
 * they hold commas, quotes or new lines, a quote doubled inside them), read row by row:
 * AKSAudit rows (a dynamic column is JSON text in its cell) or AzureDiagnostics rows
 * (log_s holds the Event). A row longer than the document cap is skipped and counted.
 */
final class CsvRows {

	private static final List<String> TOO_LONG = List.of();

	private final FormReading reading;

	private final Reader reader;

	private final char[] buf = new char[64 * 1024];

	private int pos;

	private int limit;

	CsvRows(FormReading reading, InputStream in) {
		this.reading = reading;
		this.reader = new InputStreamReader(in,
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT));
	}

	void read() throws IOException {
		try {
			List<String> header = record();
			if (header == null || header == TOO_LONG) {
				return;
			}
			List<String> names = header.stream().map(CsvRows::columnName).toList();
			if (!names.contains("AuditId") && !names.contains("log_s")) {
				this.reading
					.problem("CSV without an AuditId or log_s column (not an AKSAudit or AzureDiagnostics export)");
				return;
			}
			for (List<String> row = record(); row != null; row = record()) {
				if (row == TOO_LONG) {
					this.reading.problem("CSV row longer than " + FormLimits.size(this.reading.limits().maxDocument())
							+ " (skipped)");
				}
				else if (row.size() > 1 || !row.get(0).isBlank()) {
					Map<String, String> columns = new HashMap<>();
					for (int i = 0; i < Math.min(row.size(), names.size()); i++) {
						columns.put(names.get(i), row.get(i));
					}
					this.reading.units().azure().row(columns, true);
				}
			}
		}
		catch (CharacterCodingException ex) {
			this.reading.problem("CSV is not valid UTF-8 (reading stopped there)");
		}
	}

	/** "TimeGenerated [UTC]" as "TimeGenerated"; a byte-order mark before it dropped. */
	private static String columnName(String cell) {
		String name = cell.replace("\uFEFF", "").strip();
		int unit = name.indexOf(" [");
		return (unit > 0 && name.endsWith("]")) ? name.substring(0, unit) : name;
	}

	/**
	 * The next record's fields; null at the end of the input; TOO_LONG for a record past
	 * the cap (read to its end, not kept).
	 */
	private List<String> record() throws IOException {
		int c = next();
		if (c < 0) {
			return null;
		}
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		long chars = 0;
		long max = this.reading.limits().maxDocument();
		boolean quoted = false;
		boolean fieldStart = true;
		for (; c >= 0; c = next()) {
			if (++chars > max) {
				field.setLength(0);
				fields.clear();
			}
			if (quoted) {
				if (c == '"' && peek() == '"') {
					next();
					field.append('"');
				}
				else if (c == '"') {
					quoted = false;
				}
				else if (chars <= max) {
					field.append((char) c);
				}
				continue;
			}
			if (c == '"' && fieldStart) {
				quoted = true;
				fieldStart = false;
			}
			else if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
				fieldStart = true;
			}
			else if (c == '\n') {
				break;
			}
			else if (c != '\r' || peek() != '\n') {
				field.append((char) c);
				fieldStart = false;
			}
		}
		if (chars > max) {
			return TOO_LONG;
		}
		fields.add(field.toString());
		return fields;
	}

	private int next() throws IOException {
		int c = peek();
		if (c >= 0) {
			this.pos++;
		}
		return c;
	}

	private int peek() throws IOException {
		if (this.pos == this.limit) {
			this.limit = this.reader.read(this.buf, 0, this.buf.length);
			this.pos = 0;
			if (this.limit <= 0) {
				this.limit = 0;
				return -1;
			}
		}
		return this.buf[this.pos];
	}

}
