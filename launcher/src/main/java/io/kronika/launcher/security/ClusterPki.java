package io.kronika.launcher.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster's certificates under {@code <data-dir>/pki} (Bouncy Castle): a CA made once and kept, the API's serving
 * certificate (renewed when the names it must carry change or it nears expiry), and client certificates (CN = user,
 * O = groups) for {@code kronika certs issue}. Keys are written owner-readable only.
 */
public final class ClusterPki {
    public static final String DIR = "pki";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate ca;
    private final PrivateKey caKey;

    private ClusterPki(Path dir, X509Certificate ca, PrivateKey caKey) {
        this.dir = dir;
        this.ca = ca;
        this.caKey = caKey;
    }

    /** The PKI of a data dir: its CA, created on first use. */
    public static ClusterPki open(Path dataDir) {
        Path dir = dataDir.resolve(DIR);
        try {
            Files.createDirectories(dir);
            Path caCert = dir.resolve("ca.crt");
            Path caKeyFile = dir.resolve("ca.key");
            if (Files.exists(caCert) && Files.exists(caKeyFile)) {
                return new ClusterPki(dir, readCertificate(caCert), readKey(caKeyFile));
            }
            KeyPair key = newKey();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "kronika-ca").build();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(CA_VALIDITY)), subject, key.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key.getPublic()));
            X509Certificate cert = sign(builder, key.getPrivate());
            writeKey(caKeyFile, key.getPrivate());
            Files.writeString(caCert, pem(cert));
            return new ClusterPki(dir, cert, key.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the cluster CA in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not create the cluster CA: " + e.getMessage(), e);
        }
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public String caPem() {
        return pem(ca);
    }

    /** The API's serving certificate and key ({@code apiserver.crt}, {@code apiserver.key}), reused while they still fit. */
    public Path[] servingCertificate(String apiHost) {
        Path cert = dir.resolve("apiserver.crt");
        Path key = dir.resolve("apiserver.key");
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"));
        if (apiHost != null && !apiHost.isBlank() && !apiHost.equals("0.0.0.0") && !apiHost.equals("::")) {
            names.add(apiHost);
        }
        try {
            if (Files.exists(cert) && Files.exists(key) && fits(readCertificate(cert), names)) {
                return new Path[]{cert, key};
            }
            KeyPair pair = newKey();
            X509Certificate issued = issue("kube-apiserver", List.of(), names, pair, KeyPurposeId.id_kp_serverAuth);
            writeKey(key, pair.getPrivate());
            Files.writeString(cert, pem(issued));
            return new Path[]{cert, key};
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the serving certificate in " + dir, e);
        }
    }

    /**
     * A serving certificate for {@code names} (host names and addresses), as PEM (certificate, private key): what a
     * kubelet's node endpoint serves, issued when it starts and kept in memory only.
     */
    public String[] servingCertificate(String commonName, Set<String> names) {
        KeyPair pair = newKey();
        X509Certificate issued = issue(commonName, List.of(), names, pair, KeyPurposeId.id_kp_serverAuth);
        return new String[]{pem(issued), pemKey(pair.getPrivate())};
    }

    /** Whether a data dir holds a CA that can issue certificates (a cluster started with TLS created it). */
    public static boolean exists(Path dataDir) {
        Path dir = dataDir.resolve(DIR);
        return Files.exists(dir.resolve("ca.crt")) && Files.exists(dir.resolve("ca.key"));
    }

    /** A client certificate for {@code user} in {@code groups}, as PEM (certificate, private key). */
    public String[] clientCertificate(String user, List<String> groups) {
        KeyPair pair = newKey();
        X509Certificate issued = issue(user, groups, Set.of(), pair, KeyPurposeId.id_kp_clientAuth);
        return new String[]{pem(issued), pemKey(pair.getPrivate())};
    }

    private boolean fits(X509Certificate cert, Set<String> names) {
        try {
            cert.verify(ca.getPublicKey());
            if (cert.getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(30)))) {
                return false;
            }
            Set<String> has = new LinkedHashSet<>();
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                sans.forEach(san -> has.add(String.valueOf(san.get(1))));
            }
            return has.containsAll(names);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private X509Certificate issue(String commonName, List<String> organizations, Set<String> names, KeyPair pair, KeyPurposeId purpose) {
        try {
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            for (String organization : organizations) {
                subject.addRDN(BCStyle.O, organization);
            }
            subject.addRDN(BCStyle.CN, commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(LEAF_VALIDITY)), subject.build(), pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String name : names) {
                    general.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            return sign(builder, caKey);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws CertificateException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new CertificateException(e);
        }
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), which kubectl, Vert.x and the JDK all read. */
    static String pemKey(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes a key file readable by its owner only. */
    public static void writeKey(Path file, PrivateKey key) throws IOException {
        writePrivate(file, pemKey(key));
    }

    public static void writePrivate(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            Object read = parser.readObject();
            if (!(read instanceof X509CertificateHolder holder)) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException(file + " holds no valid certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            Object read = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (read instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (read instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException(file + " holds no PEM private key");
        }
    }

}
