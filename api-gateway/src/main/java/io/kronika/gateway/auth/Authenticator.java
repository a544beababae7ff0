package io.kronika.gateway.auth;

import io.kronika.schemas.auth.UserInfo;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who sent a request, in kube-apiserver's order: a bearer token (static token file, then service-account JWTs), else
 * a client certificate the TLS layer has verified against the client CA (CN = user, O = groups), else anonymous. A
 * bearer token that nothing accepts is an error, never anonymous.
 */
public final class Authenticator {
    private final StaticTokenFile tokens;
    private final ServiceAccountTokenAuthenticator serviceAccounts;

    public Authenticator(StaticTokenFile tokens, ServiceAccountTokenAuthenticator serviceAccounts) {
        this.tokens = tokens;
        this.serviceAccounts = serviceAccounts;
    }

    /** The result of authenticating: the user, or empty when credentials were given and refused. */
    public Optional<UserInfo> authenticate(String authorization, List<Certificate> peerCertificates) {
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split("\\s+", 2);
            if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
                return Optional.empty();
            }
            String token = parts[1].trim();
            Optional<UserInfo> user = tokens == null ? Optional.empty() : tokens.authenticate(token);
            return user.isPresent() ? user : serviceAccounts.authenticate(token);
        }
        if (peerCertificates != null && !peerCertificates.isEmpty() && peerCertificates.get(0) instanceof X509Certificate cert) {
            return fromCertificate(cert);
        }
        return Optional.of(UserInfo.ANONYMOUS);
    }

    /** CN is the user, every O a group; a certificate without a CN authenticates nobody. */
    static Optional<UserInfo> fromCertificate(X509Certificate cert) {
        try {
            String user = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
            return user == null || user.isEmpty() ? Optional.empty() : Optional.of(UserInfo.authenticated(user, "", groups));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
