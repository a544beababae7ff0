package io.kronika.kubelet.runtime;

/** Credentials for one registry, from an imagePullSecret of type kubernetes.io/dockerconfigjson. */
public record RegistryAuth(String registry, String username, String password, String auth) {
    @Override
    public String toString() {
        return "RegistryAuth[" + registry + ", user " + username + "]";
    }
}
