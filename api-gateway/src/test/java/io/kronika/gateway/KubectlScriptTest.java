package io.kronika.gateway;

import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real kubectl (v1.32, /usr/bin/kubectl or $KUBECTL) against this module's gateway: runs
 * {@code tests/kubectl/run.sh --server <url>}, which asserts step by step on kubectl's exit codes and output. The
 * same script, run without {@code --server}, starts a whole cluster from the launcher jar.
 */
@ExtendWith(SharedClusterExtension.class)
class KubectlScriptTest {
    private static final Path SCRIPT = Path.of("..", "tests", "kubectl", "run.sh").toAbsolutePath().normalize();

    @Test
    void kubectlWorksAgainstTheGateway() throws IOException, InterruptedException {
        assertThat(SCRIPT).as("the kubectl script").exists();
        String kubectl = System.getenv().getOrDefault("KUBECTL", "/usr/bin/kubectl");
        assertThat(Path.of(kubectl)).as("kubectl v1.32 (STACK.md): set KUBECTL if it is elsewhere").isExecutable();
        TestCluster cluster = TestCluster.shared();
        Path log = Files.createTempFile("kubectl-script", ".log");
        Process process = new ProcessBuilder("bash", SCRIPT.toString(), "--server", cluster.gateway.url())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        assertThat(finished).as("the script finished within 10 minutes:\n" + output).isTrue();
        assertThat(process.exitValue()).as("kubectl script output:\n" + output).isZero();
        assertThat(output).contains("steps passed");
    }
}
