package io.kronika.eventstore.broker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How a secured embedded broker listens: TLS on every listener (a PKCS12 key store with the broker's certificate, a
 * trust store with the CA clients and the broker trust), SASL/SCRAM-SHA-512 for clients on the broker listener with a
 * super user created when the log directory is formatted, SASL/PLAIN between the broker and its controller (KRaft does
 * not take SCRAM there), and ACLs enforced by KRaft's StandardAuthorizer (nothing is allowed without an ACL, except
 * for the super users).
 */
public record BrokerSecurity(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                             String superUser, String superUserPassword, String controllerPassword) {
    public static final String MECHANISM = "SCRAM-SHA-512";
    static final String CONTROLLER_USER = "kafka-controller";

    @Override
    public String toString() {
        return "BrokerSecurity[keyStore=" + keyStore + ", trustStore=" + trustStore + ", superUser=" + superUser + "]";
    }

    /** The client settings (admin, producer, consumer, streams) of {@code user} against this broker. */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", scramJaas(user, password));
        props.put("ssl.truststore.location", trustStore.toString());
        props.put("ssl.truststore.password", trustStorePassword);
        props.put("ssl.truststore.type", "PKCS12");
        return props;
    }

    /** The super user's client settings (topic and ACL administration). */
    public Map<String, Object> superUserProperties() {
        return clientProperties(superUser, superUserPassword);
    }

    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + escape(user)
                + "\" password=\"" + escape(password) + "\";";
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Broker settings for listeners named SASL_SSL (clients, inter-broker) and CONTROLLER. */
    Map<String, String> brokerProperties() {
        Map<String, String> props = new HashMap<>();
        props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL");
        props.put("inter.broker.listener.name", "SASL_SSL");
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scramJaas(superUser, superUserPassword));
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + CONTROLLER_USER + "\" password=\"" + escape(controllerPassword) + "\" user_" + CONTROLLER_USER
                + "=\"" + escape(controllerPassword) + "\";");
        props.put("ssl.keystore.location", keyStore.toString());
        props.put("ssl.keystore.password", keyStorePassword);
        props.put("ssl.key.password", keyStorePassword);
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.truststore.location", trustStore.toString());
        props.put("ssl.truststore.password", trustStorePassword);
        props.put("ssl.truststore.type", "PKCS12");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + superUser + ";User:" + CONTROLLER_USER);
        props.put("allow.everyone.if.no.acl.found", "false");
        return props;
    }

    /** The formatter's argument that creates the super user's SCRAM credential in the bootstrap metadata. */
    String scramBootstrapArgument() {
        return MECHANISM + "=[name=" + superUser + ",password=" + superUserPassword + "]";
    }
}
