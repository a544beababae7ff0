package io.kronika.kubelet.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The resolver configuration of a pod (its /etc/resolv.conf): nameservers, search domains and options
 * ({@code ndots:5}, {@code timeout:2}, {@code edns0}). CRI calls this the sandbox's DNSConfig.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {
    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    /** Reads resolv.conf text: nameserver, search / domain (the last one wins, as in glibc) and options lines. */
    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "nameserver" -> {
                    if (words.length > 1) {
                        nameservers.add(words[1]);
                    }
                }
                case "search", "domain" -> {
                    searches.clear();
                    searches.addAll(List.of(words).subList(1, words.length));
                }
                case "options" -> options.addAll(List.of(words).subList(1, words.length));
                default -> { }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /** The file's text. */
    public String render() {
        StringBuilder text = new StringBuilder();
        if (!searches.isEmpty()) {
            text.append("search ").append(String.join(" ", searches)).append('\n');
        }
        nameservers.forEach(ns -> text.append("nameserver ").append(ns).append('\n'));
        if (!options.isEmpty()) {
            text.append("options ").append(String.join(" ", options)).append('\n');
        }
        return text.toString();
    }
}
