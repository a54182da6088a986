package dev.parley.ops.cluster;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to run one node of the local cluster: what it runs, with which environment and JVM options,
 * where its data and log go, the ports it owns and how to tell it is ready. The same spec starts it again after a
 * kill, with the same ports and data.
 *
 * @param name        e.g. {@code broker-2}
 * @param role        what it is
 * @param mainClass   the main class its JVM runs (the role's)
 * @param env         its complete environment (nothing else is inherited)
 * @param javaOptions JVM options (heap first, then the cluster's)
 * @param dataDir     its own directory under the cluster's data dir
 * @param logFile     its standard output and error, appended across restarts
 * @param ports       label to port, in the order the port map prints them (e.g. {@code kafka}, {@code controller})
 * @param readiness   what says it serves
 */
public record NodeSpec(String name, NodeRole role, String mainClass, Map<String, String> env, List<String> javaOptions, Path dataDir,
                       Path logFile, Map<String, Integer> ports, ReadinessProbe readiness) {

    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mainClass, "mainClass");
        env = Map.copyOf(env);
        javaOptions = List.copyOf(javaOptions);
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        Objects.requireNonNull(readiness, "readiness");
    }

    /** The port with that label, e.g. {@code port("http")}. */
    public int port(String label) {
        Integer p = ports.get(label);
        if (p == null) {
            throw new IllegalArgumentException(name + " has no port '" + label + "' (it has " + ports.keySet() + ")");
        }
        return p;
    }
}
