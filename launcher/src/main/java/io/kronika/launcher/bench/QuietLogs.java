package io.kronika.launcher.bench;

import org.slf4j.LoggerFactory;

/**
 * Keeps the figures readable: the in-process cluster's routine INFO lines and Kafka's start/stop warnings go to
 * the console too, so during the benchmark Kronika logs warnings and Kafka errors only (progress is printed instead).
 */
final class QuietLogs {
    private QuietLogs() {
    }

    static void apply() {
        set("io.kronika", ch.qos.logback.classic.Level.WARN);
        set("org.apache.kafka", ch.qos.logback.classic.Level.ERROR);
        set("kafka", ch.qos.logback.classic.Level.ERROR);
    }

    private static void set(String name, ch.qos.logback.classic.Level level) {
        if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(level);
        }
    }
}
