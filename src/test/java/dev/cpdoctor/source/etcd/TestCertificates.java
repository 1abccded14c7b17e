package dev.cpdoctor.source.etcd;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA, an etcd server certificate for 127.0.0.1 and a client certificate, made with
 * BouncyCastle and written as PEM files the way kubeadm writes them: the client key as
 * PKCS#1 (BEGIN RSA PRIVATE KEY), which Netty's own loader refuses. A second client key
 * file holds the same key as PKCS#8.
 */
public record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
		Path clientKeyPkcs8, Path strangerCert, Path strangerKey) {

	static TestCertificates write(Path dir) throws Exception {
		Files.createDirectories(dir);
		KeyPair caKeys = rsa();
		X509Certificate ca = certificate("CN=etcd-ca", caKeys, "CN=etcd-ca", caKeys.getPrivate(), true, null, null);
		KeyPair serverKeys = rsa();
		X509Certificate server = certificate("CN=etcd-server", serverKeys, "CN=etcd-ca", caKeys.getPrivate(), false,
				KeyPurposeId.id_kp_serverAuth,
				new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
						new GeneralName(GeneralName.dNSName, "localhost") }));
		KeyPair clientKeys = rsa();
		X509Certificate client = certificate("CN=kube-apiserver-etcd-client", clientKeys, "CN=etcd-ca",
				caKeys.getPrivate(), false, KeyPurposeId.id_kp_clientAuth, null);
		// a client certificate from a CA etcd does not trust
		KeyPair otherCaKeys = rsa();
		KeyPair strangerKeys = rsa();
		X509Certificate stranger = certificate("CN=stranger", strangerKeys, "CN=other-ca", otherCaKeys.getPrivate(),
				false, KeyPurposeId.id_kp_clientAuth, null);
		TestCertificates files = new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"),
				dir.resolve("server.key"), dir.resolve("apiserver-etcd-client.crt"),
				dir.resolve("apiserver-etcd-client.key"), dir.resolve("client-pkcs8.key"), dir.resolve("stranger.crt"),
				dir.resolve("stranger.key"));
		pem(files.ca(), ca);
		pem(files.serverCert(), server);
		pem(files.serverKey(), serverKeys.getPrivate());
		pem(files.clientCert(), client);
		Files.writeString(files.clientKey(), pkcs1(clientKeys.getPrivate()));
		Files.writeString(files.clientKeyPkcs8(), "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(clientKeys.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n");
		pem(files.strangerCert(), stranger);
		Files.writeString(files.strangerKey(), pkcs1(strangerKeys.getPrivate()));
		return files;
	}

	private static KeyPair rsa() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
			boolean ca, KeyPurposeId purpose, GeneralNames names) throws Exception {
		Instant now = Instant.now();
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
				BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
				new X500Name(subject), keys.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
		if (ca) {
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		}
		else {
			builder.addExtension(Extension.keyUsage, true,
					new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
			builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
		}
		if (names != null) {
			builder.addExtension(Extension.subjectAlternativeName, false, names);
		}
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
	}

	private static void pem(Path file, Object object) throws IOException {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(object);
		}
		Files.writeString(file, out.toString());
	}

	/** PKCS#1 "BEGIN RSA PRIVATE KEY", as kubeadm writes its keys. */
	private static String pkcs1(PrivateKey key) throws IOException {
		byte[] der = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
		return "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END RSA PRIVATE KEY-----\n";
	}

}
