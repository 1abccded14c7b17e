package dev.cpdoctor.source.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.SslContextBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import dev.cpdoctor.cluster.ClusterProperties;

/**
 * An etcd client's TLS material from PEM files as kubeadm writes them: the CA
 * certificate, the client certificate, and its key in any of the unencrypted PEM forms -
 * PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA (BEGIN RSA PRIVATE KEY, kubeadm's default) or
 * SEC1 EC (BEGIN EC PRIVATE KEY). The key is parsed here, so Netty never sees the file:
 * its own loader takes only PKCS#8.
 *
 * @param trusted the CA certificates; empty for the JDK's default trust
 * @param chain the client certificate chain; empty for no client certificate
 * @param key the client key; null for none
 */
record EtcdTls(List<X509Certificate> trusted, List<X509Certificate> chain, PrivateKey key) {

	private static final char[] NO_PASSWORD = new char[0];

	/**
	 * @throws IllegalArgumentException naming the file that could not be read, and why
	 */
	static EtcdTls read(ClusterProperties.Etcd etcd) {
		List<X509Certificate> trusted = (etcd.caFile() != null) ? certificates(etcd.caFile()) : List.of();
		List<X509Certificate> chain = (etcd.certFile() != null) ? certificates(etcd.certFile()) : List.of();
		PrivateKey key = (etcd.keyFile() != null) ? privateKey(etcd.keyFile()) : null;
		return new EtcdTls(trusted, chain, key);
	}

	static List<X509Certificate> certificates(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(in)
				.stream()
				.map(X509Certificate.class::cast)
				.toList();
			if (certificates.isEmpty()) {
				throw new IllegalArgumentException(file + ": no PEM certificate in it");
			}
			return certificates;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalArgumentException(file + ": not a readable PEM certificate (" + ex.getMessage() + ")", ex);
		}
	}

	static PrivateKey privateKey(Path file) {
		try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
			Object pem = parser.readObject();
			JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
			if (pem instanceof PEMKeyPair pair) {
				// the private part alone: a SEC1 EC key may come without its public key
				return converter.getPrivateKey(pair.getPrivateKeyInfo());
			}
			if (pem instanceof PrivateKeyInfo info) {
				return converter.getPrivateKey(info);
			}
			if (pem instanceof PEMEncryptedKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo) {
				throw new IllegalArgumentException(file + ": the key is encrypted; give an unencrypted key file"
						+ " readable only by the dashboard's user");
			}
			throw new IllegalArgumentException(file + ": no PEM private key in it (PKCS#8, PKCS#1 RSA or SEC1 EC)");
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file + ": not a readable PEM private key (" + ex.getMessage() + ")", ex);
		}
	}

	/** Applies the material to jetcd's (Netty's) client SSL context builder. */
	void apply(SslContextBuilder builder) {
		if (!this.trusted.isEmpty()) {
			builder.trustManager(this.trusted.toArray(X509Certificate[]::new));
		}
		if (this.key != null) {
			builder.keyManager(this.key, this.chain.toArray(X509Certificate[]::new));
		}
	}

	/** The same material for the JDK HTTP client that reads /metrics. */
	SSLContext jdkContext() {
		try {
			KeyManagerFactory keys = null;
			if (this.key != null) {
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				store.setKeyEntry("client", this.key, NO_PASSWORD, this.chain.toArray(X509Certificate[]::new));
				keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				keys.init(store, NO_PASSWORD);
			}
			TrustManagerFactory trust = null;
			if (!this.trusted.isEmpty()) {
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				for (int i = 0; i < this.trusted.size(); i++) {
					store.setCertificateEntry("ca-" + i, this.trusted.get(i));
				}
				trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				trust.init(store);
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((keys != null) ? keys.getKeyManagers() : null,
					(trust != null) ? trust.getTrustManagers() : null, null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Could not build the TLS context for /metrics: " + ex.getMessage(), ex);
		}
	}

}
