package io.kronika.gateway.auth;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.projections.ClusterView;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;

import java.time.Clock;

/** Applies a {@link GatewaySecurity} to the gateway's server: TLS options and the authentication handler in front of every route. */
public final class SecureServing {
    private SecureServing() {
    }

    /** TLS with the serving certificate; client certificates requested (not required) and verified against the client CA. */
    public static HttpServerOptions tls(HttpServerOptions options, GatewaySecurity security) {
        if (!security.tls()) {
            return options;
        }
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(security.certificate().toString()).setKeyPath(security.privateKey().toString()));
        if (security.clientCa() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(security.clientCa().toString())).setClientAuth(ClientAuth.REQUEST);
        }
        return options;
    }

    /** Mounts authentication (and with it RBAC) before every other route, when the security asks for it. */
    public static void mount(Router router, GatewaySecurity security, CommandClient commands, ClusterView view) {
        if (!security.authenticate()) {
            return;
        }
        ClusterSigningKey key = new ClusterSigningKey(view);
        Clock clock = Clock.systemUTC();
        Authenticator authenticator = new Authenticator(security.tokenFile() == null ? null : new StaticTokenFile(security.tokenFile()),
                new ServiceAccountTokenAuthenticator(view, key, clock));
        GatewayAuth auth = new GatewayAuth(AccessControl.rbac(new ViewRbacObjects(view), new RefusalRecorder(commands)),
                new TokenRequestHandler(view, key, clock));
        router.route().order(-1000).handler(new AuthenticationHandler(authenticator, auth));
    }
}
