package io.kronika.gateway.auth;

import io.kronika.schemas.auth.UserInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens from a file in kube-apiserver's {@code --token-auth-file} format: {@code token,user,uid,"g1,g2"} per
 * line. Read again when the file changes, so tokens are added or revoked without a restart.
 */
public final class StaticTokenFile {
    private final Path file;
    private volatile FileTime loadedAt;
    private volatile Map<String, UserInfo> users = Map.of();

    public StaticTokenFile(Path file) {
        this.file = file;
        reloadIfChanged();
    }

    public Optional<UserInfo> authenticate(String token) {
        reloadIfChanged();
        // Compare every token in constant time, so the answer's timing says nothing about near misses.
        UserInfo found = null;
        byte[] wanted = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Map.Entry<String, UserInfo> entry : users.entrySet()) {
            if (MessageDigest.isEqual(entry.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8), wanted)) {
                found = entry.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    private void reloadIfChanged() {
        try {
            if (!Files.exists(file)) {
                users = Map.of();
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedAt)) {
                return;
            }
            users = parse(Files.readAllLines(file));
            loadedAt = modified;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the token file " + file, e);
        }
    }

    static Map<String, UserInfo> parse(List<String> lines) {
        Map<String, UserInfo> parsed = new HashMap<>();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> fields = csv(trimmed);
            if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
                continue;
            }
            List<String> groups = fields.size() > 3 && !fields.get(3).isBlank()
                    ? Arrays.stream(fields.get(3).split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList() : List.of();
            parsed.put(fields.get(0), UserInfo.authenticated(fields.get(1), fields.get(2), groups));
        }
        return Map.copyOf(parsed);
    }

    private static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
