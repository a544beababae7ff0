package io.kronika.launcher;

import io.kronika.launcher.security.ClusterCredentials.KubeconfigUser;
import io.kronika.launcher.security.ClusterPki;
import io.kronika.launcher.security.ComponentKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kronika certs issue USER --group G}: a client certificate signed by the cluster CA, and a kubeconfig using it. */
@Command(name = "certs", mixinStandardHelpOptions = true, description = "Client certificates signed by the cluster CA.",
        subcommands = {CertsCommand.Issue.class, CertsCommand.ComponentKey.class})
public final class CertsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "component-key", mixinStandardHelpOptions = true,
            description = "Write the credential a component signs its commands with (e.g. system:node:node-7 for "
                    + "`kronika kubelet --node node-7 --credential-file FILE` on another machine); derived from the cluster's "
                    + "component master key, so it signs as that principal only.")
    static final class ComponentKey implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PRINCIPAL", description = "system:node:<name>, system:kube-controller-manager, system:kube-scheduler")
        String principal;

        @Option(names = "--out", required = true, description = "File to write (owner-readable only)")
        Path out;

        @Option(names = "--data-dir", defaultValue = "./data", description = "Data dir of the cluster (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            Path data = dataDir.toAbsolutePath().normalize();
            if (!Files.exists(data.resolve(ClusterPki.DIR).resolve(ComponentKeys.FILE))) {
                System.err.println("kronika: no component master key in " + data.resolve(ClusterPki.DIR)
                        + "; start the cluster once with `kronika up --data-dir " + data + "`");
                return 2;
            }
            ComponentKeys.writeCredential(out, principal, ComponentKeys.ensureMaster(data));
            System.out.println("kronika: wrote the credential of " + principal + " to " + out);
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a client certificate for USER (CN = USER, O = each --group); writes USER.crt, USER.key and USER.kubeconfig. "
                    + "What the user may do is up to RBAC: bind a role to User USER or to one of its groups.")
    static final class Issue implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER", description = "The user name (the certificate's common name)")
        String user;

        @Option(names = {"--group", "-g"}, description = "A group of the user (repeatable; the certificate's organizations)")
        List<String> groups = new ArrayList<>();

        @Option(names = "--out", description = "Directory to write into (default: <data-dir>/users/USER)")
        Path out;

        @Option(names = "--data-dir", defaultValue = "./data", description = "Data dir of the cluster whose CA signs (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Option(names = "--server", description = "API URL for the kubeconfig (default: the running cluster's, from <data-dir>)")
        String server;

        @Override
        public Integer call() throws Exception {
            Path data = dataDir.toAbsolutePath().normalize();
            if (!Files.exists(data.resolve(ClusterPki.DIR).resolve("ca.crt"))) {
                System.err.println("kronika: no cluster CA in " + data.resolve(ClusterPki.DIR)
                        + "; start the cluster once with `kronika up --data-dir " + data + "` (it creates the CA), then issue certificates");
                return 2;
            }
            ClusterPki pki = ClusterPki.open(data);
            String[] issued = pki.clientCertificate(user, groups);
            Path dir = out != null ? out : data.resolve("users").resolve(user);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(user + ".crt"), issued[0]);
            ClusterPki.writePrivate(dir.resolve(user + ".key"), issued[1]);
            System.out.println("kronika: wrote " + dir.resolve(user + ".crt") + " and " + dir.resolve(user + ".key")
                    + " (CN=" + user + (groups.isEmpty() ? "" : ", O=" + String.join(", O=", groups)) + ")");
            String api = server != null ? server : ClusterStatus.readFrom(data).map(ClusterStatus::apiUrl).orElse(null);
            if (api == null) {
                System.out.println("kronika: no kubeconfig written: the cluster is not running; pass --server URL to write one");
                return 0;
            }
            Path kubeconfig = Kubeconfig.write(dir.resolve(user + ".kubeconfig"), "kronika", api,
                    pki.caPem(), KubeconfigUser.certificate(user, issued[0], issued[1]));
            System.out.println("kronika: wrote " + kubeconfig + "; try: kubectl --kubeconfig " + kubeconfig + " auth whoami");
            return 0;
        }
    }
}
