package dev.parley.ops.runner;

import dev.parley.schemas.registry.server.RegistryServerConfig;
import dev.parley.schemas.registry.server.SchemaRegistryServer;
import java.util.List;

/** Parley's Confluent-API-compatible schema registry, storing schemas in the compacted schemas topic. */
public final class RegistryComponent implements LocalComponent {

    private SchemaRegistryServer server;

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public void start(LocalContext context) {
        RunnerSettings s = context.settings();
        // Dev mode: no credentials. The registry refuses that beyond loopback unless told; `parley start`
        // only binds beyond loopback with --allow-remote-dev, which is that explicit consent.
        server = SchemaRegistryServer.start(RegistryServerConfig.defaults().withHost(s.bindHost()).withPort(s.registryPort())
                .withTopics(s.topicNames()).withAllowAnonymous(true), context.bootstrapServers());
        context.publishRegistryUrl("http://" + host(s) + ":" + server.port());
    }

    static String host(RunnerSettings s) {
        return s.bindHost().equals("0.0.0.0") ? "localhost" : s.bindHost();
    }

    @Override
    public List<SummaryLine> summary() {
        return List.of(new SummaryLine("Schema registry", server.url() + "  (Confluent API: /subjects, /schemas/ids/{id})"));
    }

    @Override
    public void close() {
        server.close();
    }
}
