package io.kronika.kubelet.pod;

/** A container's configuration can not be resolved (CreateContainerConfigError): a missing ConfigMap, Secret or key. */
public final class ConfigError extends Exception {
    public ConfigError(String message) {
        super(message);
    }
}
