package dev.cpdoctor.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import dev.cpdoctor.source.AuditImport;

/**
 * The slices' audit imports: none stored, every import refused (the import's own tests
 * run the whole application).
 */
final class FakeImports implements AuditImport {

	@Override
	public Outcome importLog(String cluster, InputStream body) throws IOException {
		body.transferTo(OutputStream.nullOutputStream());
		return new Refused(Refusal.INVALID, "the slices import nothing");
	}

	@Override
	public List<Imported> imports(String cluster) {
		return List.of();
	}

	@Override
	public boolean delete(String cluster) {
		return false;
	}

}
