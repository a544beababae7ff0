package io.kronika.launcher.security;

import io.kronika.eventstore.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PKI and tokens under a data dir: made once, reused on restart, renewed when the API's names change. */
class ClusterCredentialsTest {
    private Path dataDir;

    @AfterEach
    void cleanUp() {
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void aRestartReusesTheCaTheServingCertificateAndTheAdminToken() throws Exception {
        dataDir = Files.createTempDirectory("kronika-pki");
        ClusterCredentials first = ClusterCredentials.ensure(dataDir, "127.0.0.1");
        String serving = Files.readString(first.servingCertificate());
        ClusterCredentials again = ClusterCredentials.ensure(dataDir, "127.0.0.1");
        assertThat(again.pki().caPem()).isEqualTo(first.pki().caPem());
        assertThat(again.adminToken()).isEqualTo(first.adminToken());
        assertThat(Files.readString(again.servingCertificate())).isEqualTo(serving);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("pki/ca.key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.tokenFile()))).isEqualTo("rw-------");

        X509Certificate cert = certificate(serving);
        cert.verify(certificate(first.pki().caPem()).getPublicKey());
        assertThat(names(cert)).contains("localhost", "127.0.0.1", "kubernetes.default.svc");

        // Another API host: a new serving certificate naming it, same CA.
        ClusterCredentials moved = ClusterCredentials.ensure(dataDir, "api.example.test");
        assertThat(names(certificate(Files.readString(moved.servingCertificate())))).contains("api.example.test", "127.0.0.1");
        assertThat(moved.pki().caPem()).isEqualTo(first.pki().caPem());
    }

    @Test
    void clientCertificatesCarryTheUserAsCommonNameAndGroupsAsOrganizations() throws Exception {
        dataDir = Files.createTempDirectory("kronika-pki");
        ClusterPki pki = ClusterPki.open(dataDir);
        X509Certificate cert = certificate(pki.clientCertificate("jane", List.of("devs", "ops"))[0]);
        String subject = cert.getSubjectX500Principal().getName();
        assertThat(subject).contains("CN=jane").contains("O=devs").contains("O=ops");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        cert.verify(certificate(pki.caPem()).getPublicKey());
    }

    @Test
    void plainHttpOnlyOnLoopback() throws Exception {
        dataDir = Files.createTempDirectory("kronika-pki");
        assertThat(ApiSecurity.of(dataDir, "127.0.0.1", true).caPem()).isNull();
        assertThat(Files.exists(dataDir.resolve("pki"))).as("no PKI for plain HTTP").isFalse();
        assertThatThrownBy(() -> ApiSecurity.of(dataDir, "0.0.0.0", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
        assertThat(ApiSecurity.of(dataDir, "0.0.0.0", false).caPem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    private static List<String> names(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
