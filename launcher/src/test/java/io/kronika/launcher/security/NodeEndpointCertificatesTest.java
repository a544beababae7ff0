package io.kronika.launcher.security;

import io.kronika.eventstore.testing.TestFiles;
import io.kronika.kubelet.server.NodeAuthorizer;
import io.kronika.kubelet.server.NodeTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The node endpoint's certificates from the cluster CA, and who the kubelet lets through with them. */
class NodeEndpointCertificatesTest {
    private Path dataDir;

    @AfterEach
    void clean() {
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void theServingCertificateNamesItsAddressesAndChainsToTheCa() throws Exception {
        dataDir = Files.createTempDirectory("kronika-node-certs");
        ClusterPki pki = ClusterPki.open(dataDir);
        NodeTls tls = NodeEndpointCertificates.serving(pki, List.of("0.0.0.0", "10.1.2.3", "node-a.example"));
        X509Certificate serving = certificate(tls.certificatePem());
        serving.verify(certificate(pki.caPem()).getPublicKey());
        List<String> names = new ArrayList<>();
        serving.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
        assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1", "10.1.2.3", "node-a.example");
        assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(tls.clientCaPem()).isEqualTo(pki.caPem());
    }

    @Test
    void onlyTheKubeletClientAndSystemMastersPass() throws Exception {
        dataDir = Files.createTempDirectory("kronika-node-certs");
        ClusterPki pki = ClusterPki.open(dataDir);
        X509Certificate gateway = certificate(NodeEndpointCertificates.gatewayClient(pki).certificatePem());
        assertThat(NodeAuthorizer.decide(List.of(gateway), "/exec/ns/pod/c").allowed()).isTrue();
        assertThat(NodeAuthorizer.decide(List.of(certificate(pki.clientCertificate("root", List.of("system:masters"))[0])), "/pods")
                .allowed()).isTrue();

        NodeAuthorizer.Decision jane = NodeAuthorizer.decide(List.of(certificate(pki.clientCertificate("jane", List.of("developers"))[0])), "/pods");
        assertThat(jane.code()).isEqualTo(403);
        assertThat(jane.message()).contains("user=jane").contains("path=/pods");
        assertThat(NodeAuthorizer.decide(List.of(), "/pods").code()).isEqualTo(401);
        assertThat(NodeAuthorizer.decide(null, "/pods").code()).isEqualTo(401);
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
