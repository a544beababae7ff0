package io.kronika.eventstore.topics;

/** The names of a cluster's topics; the prefix lets several clusters or tests share one broker. */
public record TopicNames(String prefix) {
    public static final String DEFAULT_PREFIX = "kronika.";

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_PREFIX);
    }

    public String commands() { return prefix + "commands"; }
    public String events() { return prefix + "events"; }
    public String results() { return prefix + "results"; }
    public String heartbeats() { return prefix + "heartbeats"; }
    public String logs() { return prefix + "logs"; }
    public String schemas() { return prefix + "_schemas"; }

    /** Kafka Streams application id of the admission processor; its internal topics carry this prefix too. */
    public String admissionApplicationId() { return prefix + "admission"; }
}
