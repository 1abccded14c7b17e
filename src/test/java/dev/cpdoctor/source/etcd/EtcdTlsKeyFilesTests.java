package dev.cpdoctor.source.etcd;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key files kubeadm and openssl write, read without a server (the TLS handshake is
 * EtcdTlsTests').
 */
class EtcdTlsKeyFilesTests {

	@TempDir
	Path dir;

	@Test
	void kubeadmsPkcs1RsaAndPkcs8KeysReadAsTheSameKey() throws Exception {
		TestCertificates files = TestCertificates.write(this.dir);
		assertThat(Files.readString(files.clientKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
		assertThat(Files.readString(files.clientKeyPkcs8())).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(EtcdTls.privateKey(files.clientKey()).getEncoded())
			.isEqualTo(EtcdTls.privateKey(files.clientKeyPkcs8()).getEncoded());
	}

	@ParameterizedTest(name = "with its public key: {0}")
	@ValueSource(booleans = { true, false })
	void aSec1EcKeyReads(boolean withPublicKey) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keys = generator.generateKeyPair();
		// as openssl ecparam -genkey writes it: SEC1 with the curve and the public key
		// inside
		PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
		var curve = ASN1ObjectIdentifier.getInstance(pkcs8.getPrivateKeyAlgorithm().getParameters());
		// PKCS#8 wraps the SEC1 structure: its private value is the key's S
		BigInteger s = ECPrivateKey.getInstance(pkcs8.parsePrivateKey()).getKey();
		var publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
		byte[] sec1 = (withPublicKey ? new ECPrivateKey(256, s, publicKey.getPublicKeyData(), curve)
				: new ECPrivateKey(256, s, curve))
			.getEncoded();
		String pem = "-----BEGIN EC PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(sec1) + "\n-----END EC PRIVATE KEY-----\n";
		Path file = Files.writeString(this.dir.resolve("ec.key"), pem);
		assertThat(EtcdTls.privateKey(file).getAlgorithm()).isIn("EC", "ECDSA");
	}

	@Test
	void anEncryptedKeyIsRefusedWithAMessage() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(new JcaPKCS8Generator(generator.generateKeyPair().getPrivate(),
					new JceOpenSSLPKCS8EncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
						.setProvider(new BouncyCastleProvider())
						.setPassword("secret".toCharArray())
						.build()));
		}
		Path file = Files.writeString(this.dir.resolve("encrypted.key"), out.toString());
		assertThatThrownBy(() -> EtcdTls.privateKey(file)).hasMessageContaining("encrypted.key")
			.hasMessageContaining("the key is encrypted");
	}

	@Test
	void aMissingFileIsNamed() {
		assertThatThrownBy(() -> EtcdTls.certificates(this.dir.resolve("nope.crt"))).hasMessageContaining("nope.crt");
	}

}
