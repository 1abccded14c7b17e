package dev.cpdoctor.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as 64 lower-case hex characters: keys for text a client chooses, file heads,
 * batch bodies.
 */
public final class Sha256 {

	private Sha256() {
	}

	public static String hex(byte[] bytes, int offset, int length) {
		MessageDigest digest = digest();
		digest.update(bytes, offset, length);
		return HexFormat.of().formatHex(digest.digest());
	}

	public static String hex(byte[] bytes) {
		return hex(bytes, 0, bytes.length);
	}

	/**
	 * Of the UTF-8 bytes of the parts, each followed by a NUL, so ("ab","c") and
	 * ("a","bc") differ.
	 */
	public static String hex(String... parts) {
		MessageDigest digest = digest();
		for (String part : parts) {
			digest.update(part.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
