package dev.parley.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ops.net.Ports;
import dev.parley.ops.runner.RunnerSettings;
import dev.parley.schemas.config.Env;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Option parsing, environment defaults and help text; no broker. */
class ParleyCliTest {

    private static StartCommand parseStart(Map<String, String> env, String... args) {
        CommandLine cl = ParleyCli.commandLine(Env.of(env));
        ParseResult parsed = cl.parseArgs(args);
        return (StartCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void startDefaults() {
        RunnerSettings s = parseStart(Map.of(), "start").settings(Env.of(Map.of()));
        assertThat(s.dataDir()).isEqualTo(Path.of(".parley-data").toAbsolutePath().normalize());
        assertThat(s.kafkaPort()).isEqualTo(9092);
        assertThat(s.controllerPort()).isZero();
        assertThat(s.registryPort()).isEqualTo(8081);
        assertThat(s.gatewayPort()).isEqualTo(8080);
        assertThat(s.topologyPort()).isEqualTo(8070);
        assertThat(s.bindHost()).isEqualTo("127.0.0.1");
        assertThat(s.topicNames().prefix()).isEqualTo("parley.");
        assertThat(s.topicSettings().partitions()).isEqualTo(12);
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void environmentVariablesSetOptionsAndFlagsWinOverThem() {
        Map<String, String> env = Map.of(
                "PARLEY_DATA_DIR", "/tmp/parley-env-dir",
                "PARLEY_KAFKA_PORT", "19092",
                "PARLEY_CONTROLLER_PORT", "19093",
                "PARLEY_REGISTRY_PORT", "18081",
                "PARLEY_GATEWAY_PORT", "18080",
                "PARLEY_TOPOLOGY_PORT", "18070",
                "PARLEY_TOPIC_PREFIX", "dev.",
                "PARLEY_START_TIMEOUT", "2m",
                "PARLEY_PARTITIONS", "3");
        RunnerSettings fromEnv = parseStart(env, "start").settings(Env.of(env));
        assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/tmp/parley-env-dir"));
        assertThat(fromEnv.kafkaPort()).isEqualTo(19092);
        assertThat(fromEnv.controllerPort()).isEqualTo(19093);
        assertThat(fromEnv.registryPort()).isEqualTo(18081);
        assertThat(fromEnv.gatewayPort()).isEqualTo(18080);
        assertThat(fromEnv.topologyPort()).isEqualTo(18070);
        assertThat(fromEnv.topicNames().commands()).isEqualTo("dev.commands");
        assertThat(fromEnv.startTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(fromEnv.topicSettings().partitions()).isEqualTo(3);

        RunnerSettings flags = parseStart(env, "start", "--kafka-port", "0", "--data-dir", "/tmp/flag-dir")
                .settings(Env.of(env));
        assertThat(flags.kafkaPort()).isZero();
        assertThat(flags.dataDir()).isEqualTo(Path.of("/tmp/flag-dir"));
        assertThat(flags.registryPort()).isEqualTo(18081);
    }

    @Test
    void topicsBootstrapServersComeFromTheEnvironment() {
        CommandLine cl = ParleyCli.commandLine(Env.of(Map.of("PARLEY_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")));
        ParseResult parsed = cl.parseArgs("topics", "verify");
        TopicsCommand.Verify verify = (TopicsCommand.Verify) parsed.subcommand().subcommand().commandSpec().userObject();
        assertThat(verify.bootstrapServers).isEqualTo("kafka-1:9092,kafka-2:9092");
    }

    @Test
    void helpNamesEveryEnvironmentVariable() {
        String help = run(Map.of(), "start", "--help").out;
        assertThat(help).contains("--data-dir", "PARLEY_DATA_DIR", "--kafka-port", "PARLEY_KAFKA_PORT",
                "--controller-port", "PARLEY_CONTROLLER_PORT", "--registry-port", "PARLEY_REGISTRY_PORT",
                "--gateway-port", "PARLEY_GATEWAY_PORT", "--topology-port", "PARLEY_TOPOLOGY_PORT",
                "--bind-host", "PARLEY_BIND_HOST", "PARLEY_PARTITIONS");
        // every env name written in the help is the one the provider reads
        CommandLine start = ParleyCli.commandLine(Env.of(Map.of())).getSubcommands().get("start");
        start.getCommandSpec().options().stream()
                .filter(o -> EnvDefaultProvider.envName(o) != null)
                .forEach(o -> assertThat(String.join(" ", o.description())).contains(EnvDefaultProvider.envName(o)));
        CommandLine verify = ParleyCli.commandLine(Env.of(Map.of())).getSubcommands().get("topics")
                .getSubcommands().get("verify");
        verify.getCommandSpec().options().stream()
                .filter(o -> EnvDefaultProvider.envName(o) != null)
                .forEach(o -> assertThat(String.join(" ", o.description())).contains(EnvDefaultProvider.envName(o)));

        String top = run(Map.of(), "--help").out;
        assertThat(top).contains("start", "topics");
    }

    @Test
    void connectStartDefaultsComeFromTheCheckoutAndTheEnvironment() {
        CommandLine cl = ParleyCli.commandLine(Env.of(Map.of("PARLEY_HOME", "/opt/parley", "PARLEY_REST_PORT", "0",
                "PARLEY_CONNECTOR", "a.json,b.json")));
        ConnectCommand.Start start = (ConnectCommand.Start) cl.parseArgs("connect", "start", "--data-dir", "/tmp/pd")
                .subcommand().subcommand().commandSpec().userObject();
        var s = start.settings();
        assertThat(s.workerConfig()).isEqualTo(Path.of("/opt/parley/connectors/config/connect-standalone.properties"));
        assertThat(s.plugins()).containsExactly(Path.of("/opt/parley/connectors/target/plugins/parley-connect"),
                Path.of("/opt/parley/connectors/plugin-debezium-jdbc/target/plugins/debezium-connector-jdbc"));
        assertThat(s.workerLib()).isEqualTo(Path.of("/opt/parley/connectors/worker/target/lib"));
        assertThat(s.connectors()).containsExactly(Path.of("a.json"), Path.of("b.json"));
        assertThat(s.restPort()).isZero();
        assertThat(s.connectDir()).isEqualTo(Path.of("/tmp/pd/connect"));
        assertThat(s.pluginPath()).isEqualTo(Path.of("/tmp/pd/connect/plugins"));
        assertThat(s.javaOpts()).containsExactly("-Xms256m", "-Xmx1g");
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(120));

        ConnectCommand.Start flags = (ConnectCommand.Start) ParleyCli.commandLine(Env.of(Map.of()))
                .parseArgs("connect", "start", "--config", "w.properties", "--connector", "x.json", "--connector", "y.json",
                        "--plugin", "/p/one", "--worker-lib", "/w/lib", "--bootstrap-servers", "k:9092")
                .subcommand().subcommand().commandSpec().userObject();
        var f = flags.settings();
        assertThat(f.workerConfig()).isEqualTo(Path.of("w.properties"));
        assertThat(f.connectors()).containsExactly(Path.of("x.json"), Path.of("y.json"));
        assertThat(f.plugins()).containsExactly(Path.of("/p/one"));
        assertThat(f.workerLib()).isEqualTo(Path.of("/w/lib"));
        assertThat(f.bootstrapServers()).isEqualTo("k:9092");
        assertThat(f.restPort()).isNull();

        CommandLine connectStart = ParleyCli.commandLine(Env.of(Map.of())).getSubcommands().get("connect")
                .getSubcommands().get("start");
        connectStart.getCommandSpec().options().stream()
                .filter(o -> EnvDefaultProvider.envName(o) != null)
                .forEach(o -> assertThat(String.join(" ", o.description())).contains(EnvDefaultProvider.envName(o)));
    }

    @Test
    void connectStartHelpShowsThePlaceholderSyntaxLiterally() {
        String help = run(Map.of(), "connect", "start", "--help").out;
        assertThat(help).contains("${env:NAME}", "PARLEY_ANALYTICS_JDBC_URL", "--connector", "PARLEY_CONNECTOR").doesNotContain("null");
    }

    @Test
    void connectStartWithoutItsBuildOutputsFailsWithExitCode1AndSaysWhatToBuild() {
        Result r = run(Map.of(), "connect", "start", "--home", "/nonexistent-parley", "--data-dir", "/tmp/parley-cli-test-nothing");
        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.err).contains("parley connect start failed").contains("mvn -pl connectors,connectors/worker -am package");
    }

    @Test
    void topicsVerifyAgainstNoBrokerFailsWithExitCode1() {
        int port = Ports.pickFree("127.0.0.1");
        Result r = run(Map.of(), "topics", "verify", "--bootstrap-servers", "127.0.0.1:" + port, "--timeout", "2s");
        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.err).startsWith("error: ");
    }

    @Test
    void missingSubcommandIsAUsageError() {
        Result r = run(Map.of());
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("Missing a command");
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ParleyCli.commandLine(Env.of(env));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
