package dev.parley.ops.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin path layout, effective worker config and the child's command line; no worker is started. */
class ConnectWorkerTest {

    @TempDir
    Path tmp;

    private Path plugin(String name, String... jars) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("build").resolve(name));
        for (String jar : jars) {
            Files.writeString(dir.resolve(jar), "jar " + jar);
        }
        return dir;
    }

    private ConnectWorkerSettings settings(List<Path> plugins, Integer restPort, String bootstrap) {
        return new ConnectWorkerSettings(tmp.resolve("worker.properties"), List.of(), plugins, tmp.resolve("lib"), null,
                tmp.resolve("data/connect"), bootstrap, "127.0.0.1", restPort, List.of("-Xmx512m"),
                Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    @Test
    void laysOutOneFolderPerPluginAndReplacesAnEarlierLayout() throws IOException {
        Path parley = plugin("parley-connect", "parley-connectors-0.1.jar", "avro-1.12.2.jar", "README.txt");
        Path debezium = plugin("debezium-connector-jdbc", "debezium-connector-jdbc-3.6.0.Final.jar", "hibernate-core-7.2.19.Final.jar");
        Path target = tmp.resolve("data/connect/plugins");
        Files.createDirectories(target.resolve("stale-plugin"));

        List<PluginPath.Plugin> laid = PluginPath.layOut(target, List.of(parley, debezium));

        assertThat(laid).extracting(PluginPath.Plugin::name, PluginPath.Plugin::jars)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("parley-connect", 2),
                        org.assertj.core.groups.Tuple.tuple("debezium-connector-jdbc", 2));
        try (var folders = Files.list(target)) {
            assertThat(folders.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("parley-connect", "debezium-connector-jdbc");
        }
        assertThat(target.resolve("parley-connect/avro-1.12.2.jar")).hasContent("jar avro-1.12.2.jar");
        assertThat(target.resolve("parley-connect/README.txt")).doesNotExist();
    }

    @Test
    void refusesPluginFoldersWithTheWorkersJarsMissingFoldersAndDuplicateNames() throws IOException {
        Path target = tmp.resolve("plugins");
        Path withJackson = plugin("bad", "my-plugin-1.0.jar", "jackson-databind-2.21.2.jar", "slf4j-api-2.0.17.jar");
        assertThatThrownBy(() -> PluginPath.layOut(target, List.of(withJackson)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jackson-databind-2.21.2.jar").hasMessageContaining("slf4j-api-2.0.17.jar");
        Path withClients = plugin("bad2", "kafka-clients-4.3.1.jar", "connect-api-4.3.1.jar");
        assertThatThrownBy(() -> PluginPath.layOut(target, List.of(withClients)))
                .hasMessageContaining("kafka-clients-4.3.1.jar").hasMessageContaining("connect-api-4.3.1.jar");
        assertThatThrownBy(() -> PluginPath.layOut(target, List.of(tmp.resolve("nope"))))
                .hasMessageContaining("does not exist");
        Path empty = plugin("empty");
        assertThatThrownBy(() -> PluginPath.layOut(target, List.of(empty))).hasMessageContaining("holds no jar");
        Path a = plugin("same", "a-1.jar");
        Path b = Files.createDirectories(tmp.resolve("other/same"));
        Files.writeString(b.resolve("b-1.jar"), "b");
        assertThatThrownBy(() -> PluginPath.layOut(target, List.of(a, b))).hasMessageContaining("two plugin folders are named same");
        // a jar that merely mentions kafka is fine
        Path fine = plugin("fine", "kafka-connect-jdbc-10.0.jar", "debezium-connector-jdbc-3.6.0.Final.jar");
        assertThat(PluginPath.layOut(target, List.of(fine))).hasSize(1);
    }

    @Test
    void theEffectiveConfigPointsAtTheLaidOutPluginPathAndAppliesOverrides() {
        Properties file = new Properties();
        file.setProperty("bootstrap.servers", "127.0.0.1:9092");
        file.setProperty("listeners", "http://127.0.0.1:8083");
        file.setProperty("plugin.path", "/somewhere/else");

        Properties plain = ConnectWorker.effectiveProperties(file, settings(List.of(), null, null), null);
        assertThat(plain.getProperty("plugin.path")).isEqualTo(tmp.resolve("data/connect/plugins").toAbsolutePath().toString());
        assertThat(plain.getProperty("plugin.discovery")).isEqualTo("service_load");
        assertThat(plain.getProperty("offset.storage.file.filename")).endsWith("data/connect/standalone.offsets");
        assertThat(plain.getProperty("bootstrap.servers")).isEqualTo("127.0.0.1:9092");
        assertThat(ConnectWorker.restUrl(plain)).isEqualTo(URI.create("http://127.0.0.1:8083"));

        Properties overridden = ConnectWorker.effectiveProperties(file, settings(List.of(), 18083, "kafka-1:9092"), 18083);
        assertThat(overridden.getProperty("bootstrap.servers")).isEqualTo("kafka-1:9092");
        assertThat(overridden.getProperty("listeners")).isEqualTo("http://127.0.0.1:18083");
        assertThat(ConnectWorker.restUrl(overridden)).isEqualTo(URI.create("http://127.0.0.1:18083"));

        file.setProperty("listeners", "http://0.0.0.0:8084,https://0.0.0.0:8443");
        assertThat(ConnectWorker.restUrl(ConnectWorker.effectiveProperties(file, settings(List.of(), null, null), null)))
                .isEqualTo(URI.create("http://127.0.0.1:8084"));
    }

    @Test
    void aDistributedConfigIsRefusedWithAPointerToTheDocs() {
        Properties file = new Properties();
        file.setProperty("group.id", "parley-analytics-connect");
        assertThatThrownBy(() -> ConnectWorker.effectiveProperties(file, settings(List.of(), null, null), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distributed").hasMessageContaining("docs/analytics.md");
    }

    @Test
    void theChildRunsConnectStandaloneOnTheWorkerClasspathWithTheConnectorFiles() throws IOException {
        Path connector = tmp.resolve("sink.json");
        Files.writeString(connector, "{\"name\": \"parley-analytics-postgres\", \"config\": {\"connector.class\": \"x\"}}");
        ConnectWorkerSettings s = new ConnectWorkerSettings(tmp.resolve("worker.properties"), List.of(connector), List.of(),
                tmp.resolve("lib"), tmp.resolve("logback.xml"), tmp.resolve("data/connect"), null, "127.0.0.1", null,
                List.of("-Xms64m", "-Xmx512m"), Duration.ofSeconds(30), Duration.ofSeconds(10));

        List<String> cmd = new ConnectWorker(s).command(s.effectiveWorkerConfig());

        assertThat(cmd.get(0)).endsWith("java");
        assertThat(cmd).containsSubsequence("-Xms64m", "-Xmx512m", "-Dlogback.configurationFile=" + tmp.resolve("logback.xml"),
                "-cp", tmp.resolve("lib") + "/*", ConnectWorker.MAIN, s.effectiveWorkerConfig().toString(), connector.toString());
        assertThat(ConnectWorker.connectorNames(List.of(connector))).containsExactly("parley-analytics-postgres");
        Path notAConnector = tmp.resolve("worker.json");
        Files.writeString(notAConnector, "{\"connector.class\": \"x\"}");
        assertThatThrownBy(() -> ConnectWorker.connectorNames(List.of(notAConnector))).hasMessageContaining("not a connector file");
    }
}
