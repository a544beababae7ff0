package io.kronika.launcher.bench;

/** The figures of one system at one number of concurrent writers, over the measured window. */
record LevelResult(String system, int writers, long accepted, long rejects, long errors, double seconds,
                   double p50Millis, double p99Millis, String firstProblem) {
    double writesPerSecond() {
        return seconds > 0 ? accepted / seconds : 0;
    }
}
