package io.kronika.kubelet.server;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may use the node endpoint over HTTPS, decided from the client certificate the TLS layer has already verified
 * against the cluster CA: no certificate is 401 (Unauthorized); a certificate of any user other than the API server's
 * kubelet client ({@code kube-apiserver-kubelet-client}) or a member of {@code system:masters} is 403 (Forbidden) — the
 * kubelet's webhook authorizer would allow exactly these for the nodes/proxy, nodes/log, nodes/stats subresources
 * under the default policy.
 */
public final class NodeAuthorizer {
    public static final String KUBELET_CLIENT = "kube-apiserver-kubelet-client";
    public static final String MASTERS = "system:masters";

    private NodeAuthorizer() {
    }

    /** The answer for a request: {@code code} 0 lets it through. */
    public record Decision(int code, String reason, String message) {
        public static final Decision ALLOWED = new Decision(0, null, null);

        public boolean allowed() {
            return code == 0;
        }
    }

    public static Decision decide(List<? extends Certificate> peer, String path) {
        if (peer == null || peer.isEmpty() || !(peer.get(0) instanceof X509Certificate client)) {
            return new Decision(401, "Unauthorized", "Unauthorized: the node endpoint needs a client certificate signed by the cluster CA");
        }
        String user = null;
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(client.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = String.valueOf(rdn.getValue());
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return new Decision(401, "Unauthorized", "Unauthorized: the client certificate's subject cannot be read");
        }
        if (KUBELET_CLIENT.equals(user) || groups.contains(MASTERS)) {
            return Decision.ALLOWED;
        }
        return new Decision(403, "Forbidden", "Forbidden (user=" + user + ", verb=get, resource=nodes, subresource=proxy, path=" + path
                + "): only the API server's kubelet client (" + KUBELET_CLIENT + ") or " + MASTERS + " may use the node endpoint");
    }
}
