package io.kronika.gateway.protobuf;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The protobuf messages of the Kubernetes API types, from the descriptor set compiled out of the upstream
 * {@code generated.proto} files (see {@code kronika/protobuf/README.md}); looked up by apiVersion and kind as the
 * {@code runtime.Unknown} envelope names them.
 */
final class ProtoTypes {
    static final String RESOURCE = "/kronika/protobuf/kubernetes-1.32.4.desc";
    static final String META_PACKAGE = "k8s.io.apimachinery.pkg.apis.meta.v1";
    static final String UNKNOWN = "k8s.io.apimachinery.pkg.runtime.Unknown";
    private static final String API_PACKAGE = "k8s.io.api.";
    private static final String APIEXTENSIONS_PACKAGE = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.";

    private static volatile ProtoTypes instance;

    private final Map<String, Descriptor> messages = new HashMap<>();

    private ProtoTypes(FileDescriptorSet set) throws DescriptorValidationException {
        Map<String, FileDescriptor> built = new HashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            build(file, set, built);
        }
        for (FileDescriptor file : built.values()) {
            for (Descriptor message : file.getMessageTypes()) {
                messages.put(message.getFullName(), message);
            }
        }
    }

    // protoc writes the files of a set with --include_imports in dependency order, but nothing requires it.
    private static FileDescriptor build(FileDescriptorProto file, FileDescriptorSet set, Map<String, FileDescriptor> built)
            throws DescriptorValidationException {
        FileDescriptor done = built.get(file.getName());
        if (done != null) {
            return done;
        }
        FileDescriptor[] dependencies = new FileDescriptor[file.getDependencyCount()];
        for (int i = 0; i < dependencies.length; i++) {
            String name = file.getDependency(i);
            FileDescriptorProto dependency = set.getFileList().stream().filter(f -> f.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("descriptor set lacks " + name));
            dependencies[i] = build(dependency, set, built);
        }
        FileDescriptor descriptor = FileDescriptor.buildFrom(file, dependencies);
        built.put(file.getName(), descriptor);
        return descriptor;
    }

    static ProtoTypes get() {
        ProtoTypes loaded = instance;
        if (loaded == null) {
            synchronized (ProtoTypes.class) {
                if (instance == null) {
                    try (InputStream in = ProtoTypes.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("missing resource " + RESOURCE);
                        }
                        instance = new ProtoTypes(FileDescriptorSet.parseFrom(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (DescriptorValidationException e) {
                        throw new IllegalStateException("bad descriptor set " + RESOURCE, e);
                    }
                }
                loaded = instance;
            }
        }
        return loaded;
    }

    Descriptor message(String fullName) {
        Descriptor descriptor = messages.get(fullName);
        if (descriptor == null) {
            throw new IllegalStateException("no message " + fullName + " in " + RESOURCE);
        }
        return descriptor;
    }

    /**
     * The message of {@code kind} at {@code apiVersion}: Go package {@code k8s.io/api/<first label of the group>/<version>}
     * (core for the legacy group), or meta/v1 for the option kinds every group version carries (DeleteOptions, …).
     */
    Optional<Descriptor> kind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        String pkg;
        if (group.isEmpty()) {
            pkg = API_PACKAGE + "core." + version;
        } else if (group.equals("apiextensions.k8s.io")) {
            pkg = APIEXTENSIONS_PACKAGE + version;
        } else {
            int dot = group.indexOf('.');
            pkg = API_PACKAGE + (dot < 0 ? group : group.substring(0, dot)) + "." + version;
        }
        Descriptor found = messages.get(pkg + "." + kind);
        if (found == null) {
            found = messages.get(META_PACKAGE + "." + kind);
        }
        return Optional.ofNullable(found);
    }
}
