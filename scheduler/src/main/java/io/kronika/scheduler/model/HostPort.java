package io.kronika.scheduler.model;

/** A host port a pod asks for: protocol, host IP (0.0.0.0 when unset) and port. */
public record HostPort(String hostIp, String protocol, int port) {
    public static final String ANY_IP = "0.0.0.0";

    /** Two host ports conflict when protocol and port match and either binds every IP or both the same one. */
    public boolean conflicts(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (hostIp.equals(other.hostIp) || ANY_IP.equals(hostIp) || ANY_IP.equals(other.hostIp));
    }
}
