package dev.parley.ops.connect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code parley connect start} runs: a standalone Kafka Connect worker in a child JVM.
 *
 * @param workerConfig     the worker properties file (e.g. connectors/config/connect-standalone.properties)
 * @param connectors       connector JSON files ({"name": ..., "config": {...}}) to run
 * @param plugins          plugin folders (each with one plugin's jars) to lay out under the plugin path
 * @param workerLib        the worker's classpath: a folder of jars (connectors/worker/target/lib)
 * @param logConfig        Logback file for the worker, or null for Logback's defaults
 * @param connectDir       where the plugin path, the effective worker properties and the offsets file go
 * @param bootstrapServers overrides the file's bootstrap.servers when not null
 * @param restHost         the REST listener's host
 * @param restPort         overrides the file's listeners when not null (0 = a free port)
 * @param javaOpts         JVM flags of the worker
 */
public record ConnectWorkerSettings(Path workerConfig, List<Path> connectors, List<Path> plugins, Path workerLib,
                                    Path logConfig, Path connectDir, String bootstrapServers, String restHost,
                                    Integer restPort, List<String> javaOpts, Duration startTimeout, Duration stopTimeout) {

    public ConnectWorkerSettings {
        connectors = List.copyOf(connectors);
        plugins = List.copyOf(plugins);
        javaOpts = List.copyOf(javaOpts);
    }

    public Path pluginPath() {
        return connectDir.resolve("plugins");
    }

    public Path effectiveWorkerConfig() {
        return connectDir.resolve("worker.properties");
    }
}
