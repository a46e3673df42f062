package io.emrvke.server.sandbox.api;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The API's TLS key and self-signed certificate (EC P-256, valid ten years, for the listen address,
 * 127.0.0.1 and localhost). kubectl sends a kubeconfig's token only over TLS, so the sandbox serves
 * HTTPS and its kubeconfig trusts this certificate through {@code certificate-authority-data}.
 */
public final class TlsIdentity {
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    private static final char[] STORE_PASSWORD = "sandbox".toCharArray();
    private final PrivateKey key;
    private final X509Certificate certificate;

    private TlsIdentity(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new key and certificate for {@code host} (an IP address or a name) plus 127.0.0.1 and localhost. */
    public static TlsIdentity generate(String host) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "localhost"));
            if (!hosts.contains(host) && !host.equals("0.0.0.0") && !host.equals("::")) {
                hosts.add(host);
            }
            byte[] tbs = toBeSigned(pair, hosts);
            Signature signer = Signature.getInstance(SIGNATURE);
            signer.initSign(pair.getPrivate());
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, Der.sequence(Der.oid(ECDSA_SHA256)), Der.bits(0, signer.sign()));
            return new TlsIdentity(pair.getPrivate(), parse(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the sandbox's TLS certificate", e);
        }
    }

    private static byte[] toBeSigned(KeyPair pair, List<String> hosts) {
        byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8("emr-vke sandbox"))));
        ZonedDateTime now = ZonedDateTime.now();
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        List<byte[]> altNames = new ArrayList<>();
        for (String h : hosts) {
            altNames.add(isAddress(h) ? Der.tagged(7, false, address(h)) : Der.tagged(2, false,
                    h.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        byte[] extensions = Der.sequence(
                extension("2.5.29.19", true, Der.sequence(Der.bool(true))), // a CA: it is its own issuer
                // digitalSignature, keyCertSign, cRLSign
                extension("2.5.29.15", true, Der.bits(1, (byte) 0x86)),
                extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))), // serverAuth
                extension("2.5.29.17", false, Der.sequence(altNames.toArray(new byte[0][]))));
        return Der.sequence(
                Der.tagged(0, true, Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(1, serial)),
                Der.sequence(Der.oid(ECDSA_SHA256)),
                name,
                Der.sequence(Der.time(now.minusDays(1)), Der.time(now.plusYears(10))),
                name,
                pair.getPublic().getEncoded(),
                Der.tagged(3, true, extensions));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static byte[] address(String host) {
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }

    private static X509Certificate parse(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(der));
    }

    /** Back from {@link #privateKeyBase64()} and {@link #certificateBase64()}. */
    public static TlsIdentity restore(String keyBase64, String certificateBase64) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(keyBase64)));
            return new TlsIdentity(key, parse(Base64.getDecoder().decode(certificateBase64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a sandbox TLS identity: " + e.getMessage(), e);
        }
    }

    public String privateKeyBase64() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public String certificateBase64() {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate in PEM, as kubeconfigs and curl's --cacert take it. */
    public String certificatePem() {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(Base64.getDecoder().decode(
                certificateBase64())) + "\n-----END CERTIFICATE-----\n";
    }

    /** Whether the certificate names {@code host} and is valid for at least another day. */
    public boolean covers(String host) {
        try {
            certificate.checkValidity(new java.util.Date(System.currentTimeMillis() + 86_400_000L));
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            boolean any = host.equals("0.0.0.0") || host.equals("::");
            for (List<?> n : names == null ? List.<List<?>>of() : names) {
                any |= host.equals(String.valueOf(n.get(1)));
            }
            return any;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    SslContextFactory.Server sslContextFactory() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("sandbox", key, STORE_PASSWORD, new X509Certificate[] {certificate});
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(store);
            ssl.setKeyStorePassword(new String(STORE_PASSWORD));
            ssl.setSniRequired(false);
            return ssl;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot load the sandbox's TLS key", e);
        }
    }
}
